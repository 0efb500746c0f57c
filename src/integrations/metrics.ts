/** Business metrics by UTC day, whatever their source (Prometheus, a CSV, the demo). */
export interface MetricsByDay {
  features: string[];
  /** date -> feature -> value */
  days: Map<string, Record<string, number>>;
}
