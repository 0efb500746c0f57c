/** `12.3 %`: the one number format the analytics core writes into its own explanations. */
export const formatPct = (p: number): string => `${p.toFixed(1)} %`;
