/**
 * Fire-station siting under fire coverage's urban/rural rule: its notes and the form's and panel's
 * texts. Named "placementrules", not after its branch (sitingrules): every message reaches the
 * public bundle, and tests/e2e/shells.test.ts checks that no module named after siting does.
 */
export const zh = {
  'note.siting_basis_fire_urban_rural':
    '与消防站覆盖分析同一标准：每个人口格网按所在乡镇（街道）取时限——城区行车 {urbanDrive} 分钟，乡镇行车 {ruralDrive} 分钟',
  'note.siting_fire_single_threshold':
    '全县各乡镇统一按行车 {minutes} 分钟计（本次设定）：乡镇未按乡镇标准计，“现状覆盖”与消防站覆盖分析（城区、乡镇分别计）不同',
  paramFireOneThreshold: '全县统一一个服务时间（不分城区、乡镇）',
  paramUrbanDrive: '城区行车时间',
  paramRuralDrive: '乡镇行车时间',
  urbanDriveBasis: 'GB 51080-2015 第4.1.3条：接警后5分钟到达（出动1分钟 + 行车4分钟）',
  sitingScopeLine: '{scope}（{minutes} 分钟）：现状 {before} / {total} 人（{shareBefore}%）→ 新增后 {after} 人（{shareAfter}%）',
  sitingMinutesSplit: '城区 {urban} / 乡镇 {rural}',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'note.siting_basis_fire_urban_rural':
    "the fire coverage analysis's rule: each population cell takes its town's limit — {urbanDrive} min driving in urban towns, {ruralDrive} min in the others",
  'note.siting_fire_single_threshold':
    'one limit of {minutes} min driving for every town (set by the request): rural towns do not get the rural rule, so "covered now" differs from the fire coverage analysis (urban and rural apart)',
  paramFireOneThreshold: 'One service time for the whole county (no urban/rural split)',
  paramUrbanDrive: 'Urban drive time',
  paramRuralDrive: 'Rural drive time',
  urbanDriveBasis: 'GB 51080-2015 §4.1.3: arrive within 5 min of the call (1 min turn-out + 4 min driving)',
  sitingScopeLine: '{scope} ({minutes} min): now {before} of {total} persons ({shareBefore}%) → with the new sites {after} ({shareAfter}%)',
  sitingMinutesSplit: 'urban {urban} / rural {rural}',
};
