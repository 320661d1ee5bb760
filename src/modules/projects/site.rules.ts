/**
 * PostGIS's ST_IsValidReason in words an applicant can act on (the reason and its location are kept).
 */
const reasons: [RegExp, string][] = [
  [/^Ring Self-intersection/i, '边界环自相交 (ring self-intersection)'],
  [/^Self-intersection/i, '多边形自相交，例如边界画成了"8"字形 (self-intersection)'],
  [/^Too few points/i, '坐标点过少 (too few points)'],
  [/^Hole lies outside shell/i, '内环（洞）位于外环之外 (hole lies outside shell)'],
  [/^Nested holes/i, '内环相互嵌套 (nested holes)'],
  [/^Nested shells/i, '多个外环相互嵌套 (nested shells)'],
  [/^Interior is disconnected/i, '多边形内部被分割为不连通的部分 (interior is disconnected)'],
  [/^Invalid Coordinate/i, '坐标值无效 (invalid coordinate)'],
  [/^Duplicate Rings/i, '存在重复的环 (duplicate rings)'],
];

export function translateValidityReason(reason: string): string {
  const where = /\[([^\]]+)\]/.exec(reason)?.[1];
  const found = reasons.find(([pattern]) => pattern.test(reason));
  const what = found ? found[1] : reason;
  return `用地范围多边形无效：${what}${where ? `，位置 ${where}` : ''} (invalid site polygon: ${reason})`;
}
