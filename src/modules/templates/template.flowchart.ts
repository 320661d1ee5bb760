/**
 * The approval flowchart of a template (任务38: 明确审批阶段、审批部门、审批事项和审批时限, 以及全流程总时限)
 * as a standalone SVG: main-line stages as columns left → right, items as boxes ordered by their
 * prerequisites, and the 并行推进 band underneath. Pure string building, no DOM.
 */
import type { Department, Item } from '../catalog/catalog.schemas';
import { isMainLineStage, TARGET_TOTAL_WORKING_DAYS } from './template.rules';
import type { TemplateItem, TemplateStageView, TemplateView } from './template.schemas';

const FONT_FAMILY = "'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif";

const MARGIN = 24;
const TITLE_HEIGHT = 78;
const STAGE_GAP = 40;
const STAGE_PADDING = 12;
const BOX_WIDTH = 176;
const BOX_PADDING = 8;
const LEVEL_GAP = 30;
const BOX_GAP = 14;
const BAND_GAP = 28;
const MIN_STAGE_WIDTH = 200;

const LEGEND =
  '图例: 粗边框 = 里程碑事项; 虚线边框 = 按条件适用; 箭头 = 前置事项 (链上时限相加, 并联事项不相加); ' +
  '阶段时限 = 阶段内最长前置链的承诺时限之和';

const NAME_FONT = 13;
const META_FONT = 11;
const HEADER_FONT = 14;
const LINE_GAP = 4;

const COLOURS = {
  text: '#1f2937',
  muted: '#4b5563',
  stageFill: '#f3f6fb',
  stageStroke: '#9db2d6',
  headerFill: '#dbe6f7',
  boxFill: '#ffffff',
  boxStroke: '#5b7bb5',
  milestoneStroke: '#1d4ed8',
  bandFill: '#f6faf3',
  bandStroke: '#9cc48a',
  arrow: '#64748b',
};

type DepartmentRef = Pick<Department, 'code' | 'name'>;

// ---------------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------------

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Approximate rendered width: CJK and full-width characters take one em, others about half. */
function textWidth(text: string, fontSize: number): number {
  let width = 0;
  for (const ch of text) width += (ch.codePointAt(0) ?? 0) > 0x2e7f ? fontSize : fontSize * 0.56;
  return width;
}

/** Wraps by character (Chinese has no spaces), keeping each line within maxWidth. */
function wrapText(text: string, maxWidth: number, fontSize: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line !== '' && textWidth(line + ch, fontSize) > maxWidth) {
      lines.push(line);
      line = ch.trim() === '' ? '' : ch;
    } else {
      line += ch;
    }
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

interface TextLine {
  text: string;
  fontSize: number;
  fill: string;
  bold?: boolean;
}

function linesHeight(lines: readonly TextLine[]): number {
  return lines.reduce((h, l) => h + l.fontSize + LINE_GAP, 0);
}

function renderLines(
  lines: readonly TextLine[],
  x: number,
  top: number,
  anchor: 'start' | 'middle' = 'start',
): string {
  let y = top;
  return lines
    .map((l) => {
      y += l.fontSize;
      const svg =
        `<text x="${x}" y="${y}" font-size="${l.fontSize}" fill="${l.fill}" text-anchor="${anchor}"` +
        `${l.bold ? ' font-weight="bold"' : ''}>${escapeXml(l.text)}</text>`;
      y += LINE_GAP;
      return svg;
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------------
// Boxes
// ---------------------------------------------------------------------------------------------------

interface Box {
  templateItem: TemplateItem;
  lines: TextLine[];
  tooltip: string;
  width: number;
  height: number;
  x: number;
  y: number;
}

function describeItem(
  ti: TemplateItem,
  itemsByCode: ReadonlyMap<string, Item>,
  departmentsByCode: ReadonlyMap<string, DepartmentRef>,
): Box {
  const item = itemsByCode.get(ti.itemCode);
  const name = item?.name ?? ti.itemCode;
  const department = item
    ? (departmentsByCode.get(item.departmentCode)?.name ?? item.departmentCode)
    : '未知事项';
  const days = item?.promisedTimeLimitDays ?? 0;
  const notes = [
    `承诺 ${days} 个工作日`,
    ...(ti.condition ? ['按条件适用'] : []),
    ...(ti.simulatedUntil ? ['可模拟审批'] : []),
  ].join(' · ');
  const inner = BOX_WIDTH - 2 * BOX_PADDING;
  const lines: TextLine[] = [
    ...wrapText(name, inner, NAME_FONT).map((text) => ({
      text,
      fontSize: NAME_FONT,
      fill: COLOURS.text,
      bold: true,
    })),
    ...wrapText(department, inner, META_FONT).map((text) => ({
      text,
      fontSize: META_FONT,
      fill: COLOURS.muted,
    })),
    ...wrapText(notes, inner, META_FONT).map((text) => ({ text, fontSize: META_FONT, fill: COLOURS.muted })),
  ];
  return {
    templateItem: ti,
    lines,
    tooltip: `${name} — ${department} — 承诺 ${days} 个工作日${ti.milestone ? ' — 里程碑事项' : ''}`,
    width: BOX_WIDTH,
    height: linesHeight(lines) + 2 * BOX_PADDING,
    x: 0,
    y: 0,
  };
}

function renderBox(box: Box): string {
  const { templateItem: ti } = box;
  const stroke = ti.milestone ? COLOURS.milestoneStroke : COLOURS.boxStroke;
  const dash = ti.condition ? ' stroke-dasharray="5 3"' : '';
  return (
    `<g><title>${escapeXml(box.tooltip)}</title>` +
    `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="6" fill="${COLOURS.boxFill}"` +
    ` stroke="${stroke}" stroke-width="${ti.milestone ? 2.2 : 1.2}"${dash}/>` +
    renderLines(box.lines, box.x + BOX_PADDING, box.y + BOX_PADDING) +
    '</g>'
  );
}

function renderArrows(boxes: readonly Box[]): string {
  const byCode = new Map(boxes.map((b) => [b.templateItem.itemCode, b]));
  return boxes
    .flatMap((to) =>
      to.templateItem.prerequisites.flatMap((code) => {
        const from = byCode.get(code);
        if (!from) return [];
        const x1 = from.x + from.width;
        const y1 = from.y + from.height / 2;
        const x2 = to.x;
        const y2 = to.y + to.height / 2;
        const bend = Math.max(12, (x2 - x1) / 2);
        return [
          `<path d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" fill="none"` +
            ` stroke="${COLOURS.arrow}" stroke-width="1.3" marker-end="url(#arrow)"/>`,
        ];
      }),
    )
    .join('');
}

// ---------------------------------------------------------------------------------------------------
// Stage layout
// ---------------------------------------------------------------------------------------------------

/** Depth of each item in its prerequisite graph (0 = no prerequisite in the stage); cycles are cut. */
function prerequisiteLevels(items: readonly TemplateItem[]): Map<string, number> {
  const byCode = new Map(items.map((ti) => [ti.itemCode, ti]));
  const levels = new Map<string, number>();
  const visiting = new Set<string>();
  const level = (code: string): number => {
    const known = levels.get(code);
    if (known !== undefined) return known;
    const ti = byCode.get(code);
    if (!ti || visiting.has(code)) return -1;
    visiting.add(code);
    const depth = 1 + Math.max(-1, ...ti.prerequisites.map(level));
    visiting.delete(code);
    levels.set(code, depth);
    return depth;
  };
  items.forEach((ti) => level(ti.itemCode));
  return levels;
}

interface StageLayout {
  stage: TemplateStageView;
  header: TextLine[];
  headerHeight: number;
  boxes: Box[];
  width: number;
  contentHeight: number;
}

function stageHeader(
  stage: TemplateStageView,
  departmentsByCode: ReadonlyMap<string, DepartmentRef>,
  width: number,
) {
  const lead = departmentsByCode.get(stage.leadDepartmentCode)?.name ?? stage.leadDepartmentCode;
  const merged = stage.mergedStages.length > 1 ? ` (国家阶段 ${stage.mergedStages.join('+')} 合并)` : '';
  const inner = width - 2 * STAGE_PADDING;
  return [
    ...wrapText(`${stage.name}${merged}`, inner, HEADER_FONT).map((text) => ({
      text,
      fontSize: HEADER_FONT,
      fill: COLOURS.text,
      bold: true,
    })),
    ...wrapText(`牵头部门: ${lead}`, inner, META_FONT).map((text) => ({
      text,
      fontSize: META_FONT,
      fill: COLOURS.muted,
    })),
    ...wrapText(`阶段时限 ${stage.timeLimitWorkingDays} 个工作日`, inner, META_FONT).map((text) => ({
      text,
      fontSize: META_FONT,
      fill: COLOURS.text,
      bold: true,
    })),
  ];
}

/** Main-line stage: one sub-column per prerequisite level, boxes stacked within a level. */
function layoutMainStage(
  stage: TemplateStageView,
  itemsByCode: ReadonlyMap<string, Item>,
  departmentsByCode: ReadonlyMap<string, DepartmentRef>,
): StageLayout {
  const levels = prerequisiteLevels(stage.items);
  const levelCount = Math.max(1, ...[...levels.values()].map((l) => l + 1));
  const boxesWidth = levelCount * BOX_WIDTH + (levelCount - 1) * LEVEL_GAP;
  const width = Math.max(MIN_STAGE_WIDTH, boxesWidth + 2 * STAGE_PADDING);
  const header = stageHeader(stage, departmentsByCode, width);
  const headerHeight = linesHeight(header) + 2 * STAGE_PADDING;
  const offsetX = (width - boxesWidth) / 2;

  // Items that others wait for go first in their level, so arrows start near the top of the stage.
  const awaited = new Set(stage.items.flatMap((ti) => ti.prerequisites));
  const ordered = [...stage.items].sort(
    (a, b) => Number(awaited.has(b.itemCode)) - Number(awaited.has(a.itemCode)),
  );
  const columnBottoms = new Array<number>(levelCount).fill(0);
  const boxes = ordered.map((ti) => {
    const box = describeItem(ti, itemsByCode, departmentsByCode);
    const level = Math.max(0, levels.get(ti.itemCode) ?? 0);
    box.x = offsetX + level * (BOX_WIDTH + LEVEL_GAP);
    box.y = columnBottoms[level] ?? 0;
    columnBottoms[level] = box.y + box.height + BOX_GAP;
    return box;
  });
  const contentHeight = Math.max(0, ...columnBottoms) - (boxes.length > 0 ? BOX_GAP : 0);
  return { stage, header, headerHeight, boxes, width, contentHeight };
}

/** 并行推进 band: boxes in rows across the full width. */
function layoutParallelBand(
  stage: TemplateStageView,
  width: number,
  itemsByCode: ReadonlyMap<string, Item>,
  departmentsByCode: ReadonlyMap<string, DepartmentRef>,
): StageLayout {
  const lead = departmentsByCode.get(stage.leadDepartmentCode)?.name ?? stage.leadDepartmentCode;
  const header: TextLine[] = wrapText(
    `${stage.name} (与主线并行, 不计入全流程时限) · 协调: ${lead} · 最长 ${stage.timeLimitWorkingDays} 个工作日`,
    width - 2 * STAGE_PADDING,
    HEADER_FONT,
  ).map((text) => ({ text, fontSize: HEADER_FONT, fill: COLOURS.text, bold: true }));
  const headerHeight = linesHeight(header) + 2 * STAGE_PADDING;
  const perRow = Math.max(1, Math.floor((width - 2 * STAGE_PADDING + BOX_GAP) / (BOX_WIDTH + BOX_GAP)));

  const boxes = stage.items.map((ti) => describeItem(ti, itemsByCode, departmentsByCode));
  let rowTop = 0;
  for (let start = 0; start < boxes.length; start += perRow) {
    const row = boxes.slice(start, start + perRow);
    row.forEach((box, i) => {
      box.x = STAGE_PADDING + i * (BOX_WIDTH + BOX_GAP);
      box.y = rowTop;
    });
    rowTop += Math.max(...row.map((b) => b.height)) + BOX_GAP;
  }
  const contentHeight = boxes.length > 0 ? rowTop - BOX_GAP : 0;
  return { stage, header, headerHeight, boxes, width, contentHeight };
}

function translateBoxes(boxes: Box[], dx: number, dy: number): void {
  for (const box of boxes) {
    box.x += dx;
    box.y += dy;
  }
}

function renderStageFrame(
  layout: StageLayout,
  x: number,
  y: number,
  height: number,
  parallel: boolean,
): string {
  const fill = parallel ? COLOURS.bandFill : COLOURS.stageFill;
  const stroke = parallel ? COLOURS.bandStroke : COLOURS.stageStroke;
  const headerFill = parallel ? COLOURS.bandFill : COLOURS.headerFill;
  return (
    `<g><title>${escapeXml(layout.stage.name)}</title>` +
    `<rect x="${x}" y="${y}" width="${layout.width}" height="${height}" rx="8" fill="${fill}" stroke="${stroke}"/>` +
    `<rect x="${x}" y="${y}" width="${layout.width}" height="${layout.headerHeight}" rx="8" fill="${headerFill}" stroke="${stroke}"/>` +
    renderLines(
      layout.header,
      parallel ? x + STAGE_PADDING : x + layout.width / 2,
      y + STAGE_PADDING,
      parallel ? 'start' : 'middle',
    ) +
    '</g>'
  );
}

// ---------------------------------------------------------------------------------------------------
// The whole chart
// ---------------------------------------------------------------------------------------------------

export function renderFlowchartSvg(
  view: TemplateView,
  itemsByCode: ReadonlyMap<string, Item>,
  departmentsByCode: ReadonlyMap<string, DepartmentRef>,
): string {
  const mainStages = view.stages.filter(isMainLineStage);
  const parallelStages = view.stages.filter((s) => !isMainLineStage(s));

  const title = `${view.name} 审批流程图 (第 ${view.version} 版, ${view.effectiveFrom} 起施行)`;
  const subtitle = `全流程 ${view.totalWorkingDays} 个工作日 (目标 ≤ ${TARGET_TOTAL_WORKING_DAYS})`;

  const columns = mainStages.map((s) => layoutMainStage(s, itemsByCode, departmentsByCode));
  const mainWidth = columns.reduce((w, c) => w + c.width, 0) + STAGE_GAP * Math.max(0, columns.length - 1);
  const titleWidth = Math.max(textWidth(title, 20), textWidth(subtitle, 15));
  const contentWidth = Math.max(mainWidth, titleWidth, 2 * BOX_WIDTH);
  const width = Math.ceil(contentWidth + 2 * MARGIN);

  // Main-line columns share one height so the row reads as a sequence of stages.
  const headerHeight = Math.max(0, ...columns.map((c) => c.headerHeight));
  const columnHeight = headerHeight + Math.max(0, ...columns.map((c) => c.contentHeight)) + 2 * STAGE_PADDING;
  const top = MARGIN + TITLE_HEIGHT;
  const parts: string[] = [];

  let x = MARGIN + (contentWidth - mainWidth) / 2;
  columns.forEach((column, i) => {
    parts.push(renderStageFrame({ ...column, headerHeight }, x, top, columnHeight, false));
    translateBoxes(column.boxes, x, top + headerHeight + STAGE_PADDING);
    parts.push(renderArrows(column.boxes), ...column.boxes.map(renderBox));
    if (i < columns.length - 1) {
      const ax = x + column.width;
      const ay = top + headerHeight / 2;
      parts.push(
        `<line x1="${ax + 4}" y1="${ay}" x2="${ax + STAGE_GAP - 4}" y2="${ay}" stroke="${COLOURS.stageStroke}"` +
          ` stroke-width="3" marker-end="url(#stage-arrow)"/>`,
      );
    }
    x += column.width + STAGE_GAP;
  });

  let bandTop = top + (columns.length > 0 ? columnHeight + BAND_GAP : 0);
  for (const stage of parallelStages) {
    const band = layoutParallelBand(stage, contentWidth, itemsByCode, departmentsByCode);
    const bandHeight = band.headerHeight + band.contentHeight + 2 * STAGE_PADDING;
    parts.push(renderStageFrame(band, MARGIN, bandTop, bandHeight, true));
    translateBoxes(band.boxes, MARGIN, bandTop + band.headerHeight + STAGE_PADDING);
    parts.push(renderArrows(band.boxes), ...band.boxes.map(renderBox));
    bandTop += bandHeight + BAND_GAP;
  }

  const legendTop = bandTop - (parallelStages.length > 0 || columns.length > 0 ? BAND_GAP : 0) + 12;
  const legendLines = wrapText(LEGEND, contentWidth, META_FONT);
  const height = Math.ceil(legendTop + legendLines.length * (META_FONT + LINE_GAP) + MARGIN);

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
      ` font-family="${FONT_FAMILY}" role="img">`,
    `<title>${escapeXml(`${view.name} — ${subtitle}`)}</title>`,
    '<defs>' +
      `<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">` +
      `<path d="M0,0 L10,5 L0,10 z" fill="${COLOURS.arrow}"/></marker>` +
      `<marker id="stage-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto">` +
      `<path d="M0,0 L10,5 L0,10 z" fill="${COLOURS.stageStroke}"/></marker>` +
      '</defs>',
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    renderLines(
      [
        { text: title, fontSize: 20, fill: COLOURS.text, bold: true },
        { text: subtitle, fontSize: 15, fill: COLOURS.milestoneStroke, bold: true },
      ],
      width / 2,
      MARGIN,
      'middle',
    ),
    ...parts,
    ...legendLines.map(
      (text, i) =>
        `<text x="${MARGIN}" y="${legendTop + META_FONT + i * (META_FONT + LINE_GAP)}" font-size="${META_FONT}"` +
        ` fill="${COLOURS.muted}">${escapeXml(text)}</text>`,
    ),
    '</svg>',
  ].join('\n');
}
