/** Messages of the hazard zones in the incident view's shelter suitability (issue 14). */
export const zh = {
  incUnsuitableInZone: '位于灾害风险区内',
} as const;

export const en: Record<keyof typeof zh, string> = {
  incUnsuitableInZone: 'inside a hazard zone',
};
