/**
 * The warning list as a table for an SMS or broadcast platform (the product sends nothing itself):
 * towns with their population, geohazard monitors (群测群防员) and shelter managers with phones.
 */
import type { IncidentAssessment } from './schema.js';

export const WARNING_COLUMNS = ['类别', '名称', '联系人', '电话', '乡镇', '人口', '说明'] as const;

export type WarningRow = [string, string, string, string, string, number | null, string];

type Unsuitable = IncidentAssessment['threatened']['unsuitableShelters'][number];

const REASON_ZH: Record<Unsuitable['reason'], (u: Unsuitable) => string> = {
  not_rated_for_hazard: () => '不适用于该灾种',
  near_geohazard: () => '邻近地质灾害隐患点',
  in_hazard_zone: (u) => (u.note?.params?.zone ? `位于灾害风险区“${u.note.params.zone}”内` : '位于灾害风险区内'),
  closed: () => '已关闭',
};

export function warningRows(a: IncidentAssessment): WarningRow[] {
  const threatened = new Map(a.threatened.geohazards.map((h) => [h.id, h.threatenedPersons]));
  return [
    ...a.warn.towns.map((t): WarningRow => ['乡镇（街道）', t.name, '', '', t.name, t.population, `影响区域内约 ${t.residentsInArea} 人`]),
    ...a.warn.monitors.map((m): WarningRow => ['群测群防员', m.geohazardName, m.name, m.phone, m.town, threatened.get(m.geohazardId) ?? null, '地质灾害隐患点威胁人数']),
    ...a.warn.shelterManagers.map((s): WarningRow => {
      const unsuitable = a.threatened.unsuitableShelters.find((u) => u.id === s.shelterId);
      return ['避难场所管理人', s.shelterName, s.name, s.phone, s.town, null, unsuitable ? `不宜启用：${REASON_ZH[unsuitable.reason](unsuitable)}` : '准备接收转移群众'];
    }),
  ];
}
