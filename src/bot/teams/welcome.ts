/** The card a team or chat sees when spendbrief is installed: what it does and how to start. */
export function welcomeCard(): Record<string, unknown> {
  const line = (text: string, extra: Record<string, unknown> = {}) => ({
    type: 'TextBlock',
    text,
    wrap: true,
    ...extra,
  });
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    msteams: { width: 'Full' },
    body: [
      line('spendbrief is here', { size: 'Large', weight: 'Bolder', style: 'heading' }),
      line(
        'It explains what the cloud bill did and why: the drivers of a change, who moved it, how far to trust that, and what it cost the planet.',
      ),
      {
        type: 'FactSet',
        facts: [
          { title: '@spendbrief drivers 30d by service', value: 'why spend moved in the last 30 days' },
          { title: '@spendbrief digest', value: 'the weekly digest, now' },
          {
            title: '@spendbrief subscribe weekly mon 09:00 Europe/Berlin',
            value: 'a digest every week, as a new post here',
          },
          { title: '@spendbrief help', value: 'every command' },
        ],
      },
    ],
  };
}
