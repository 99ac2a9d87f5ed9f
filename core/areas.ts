/**
 * The five districts/counties of the source plans (../shared/seeds). Population: 2020 seventh
 * national census (第七次全国人口普查) resident totals — real figures, kept with their source.
 */
export interface Area {
  code: string;
  name: { zh: string; en: string };
  province: string;
  population: number;
  populationSource: string;
  /** The 十四五 emergency-management plan this area's figures come from. */
  plan: string;
}

const CENSUS = '第七次全国人口普查（2020）';

export const AREAS: Area[] = [
  { code: '500105', name: { zh: '江北区', en: 'Jiangbei' }, province: '重庆市', population: 925800, populationSource: CENSUS, plan: '重庆市江北区“十四五”应急管理规划 (2022-04)' },
  { code: '500117', name: { zh: '合川区', en: 'Hechuan' }, province: '重庆市', population: 1245294, populationSource: CENSUS, plan: '重庆市合川区“十四五”应急管理规划 (2023-02)' },
  { code: '500151', name: { zh: '铜梁区', en: 'Tongliang' }, province: '重庆市', population: 685729, populationSource: CENSUS, plan: '重庆市铜梁区“十四五”应急管理规划 (2022-07)' },
  { code: '500237', name: { zh: '巫山县', en: 'Wushan' }, province: '重庆市', population: 462462, populationSource: CENSUS, plan: '巫山县“十四五”应急管理规划 (2021–2022)' },
  { code: '510802', name: { zh: '利州区', en: 'Lizhou' }, province: '四川省广元市', population: 621978, populationSource: CENSUS, plan: '广元市利州区“十四五”应急管理规划 (2022-11)' },
];

export const areaByCode = (code: string): Area | undefined => AREAS.find((a) => a.code === code);
