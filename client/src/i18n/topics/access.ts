/** Door-to-road access legs and network islands in the analysis panels (issues 13 and 14). */
export const zh = {
  analysisNetworkNotes: '道路连通性提示',
} as const;

export const en: Record<keyof typeof zh, string> = {
  analysisNetworkNotes: 'Road network connectivity',
};
