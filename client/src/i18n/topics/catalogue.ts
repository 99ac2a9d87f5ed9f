/** Messages of the catalogue work (issue 14): hazard zones in the shelter suitability check. */
export const zh = {
  'note.shelter_in_hazard_zone': '位于灾害风险区“{zone}”内，不宜用于此灾种避难（GB 51143-2015、GB 21734-2008 场址选择）',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'note.shelter_in_hazard_zone': 'inside the hazard zone “{zone}”: not a safe site for this hazard (GB 51143-2015, GB 21734-2008 site selection)',
};
