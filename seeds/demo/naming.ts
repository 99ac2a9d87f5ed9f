/** Demo place names: roads, communities and villages, so that demo features read like real ones. */
import type { Rng } from './rng.js';

const ROADS = ['建新', '人民', '滨江', '解放', '和平', '新华', '朝阳', '学府', '兴隆', '长安', '体育', '文化', '中山', '桂花', '龙溪'];
const COMMUNITIES = ['红星', '新华', '东风', '和平', '建设', '人民', '胜利', '光明', '团结', '幸福', '前进', '龙井', '青龙', '白鹤', '桂花', '石桥', '长岭', '黄桷', '双河', '新街'];
const VILLAGE_HEADS = ['黄', '石', '杨', '马', '龙', '青', '白', '新', '大', '小', '李', '陈'];
const VILLAGE_TAILS = ['家湾', '家坪', '岭', '沟', '坡', '岩', '垭口', '河坝', '家山', '家嘴'];

export const road = (rng: Rng): string => `${rng.pick(ROADS)}${rng.pick(['路', '街', '大道'])}${rng.int(1, 299)}号`;
export const community = (rng: Rng): string => `${rng.pick(COMMUNITIES)}社区`;
export const village = (rng: Rng): string => `${rng.pick(VILLAGE_HEADS)}${rng.pick(VILLAGE_TAILS)}`;
