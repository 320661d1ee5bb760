import { describe, expect, it } from 'vitest';
import { catalogItems } from '../catalog/catalog.data';
import { indexItems } from '../catalog/catalog.rules';
import { departments } from '../catalog/departments.data';
import { renderFlowchartSvg } from './template.flowchart';
import { processTemplates } from './template.data';
import { templateView } from './template.rules';
import { defaultProjectAttributes, type TemplateDefinition } from './template.schemas';

const items = indexItems(catalogItems);
const departmentsByCode = new Map(departments.map((d) => [d.code, d]));

/** Every opened tag is closed in order; self-closing tags stand alone. */
function tagsAreBalanced(svg: string): boolean {
  const stack: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else {
      stack.push(name ?? '');
    }
  }
  return stack.length === 0;
}

describe('renderFlowchartSvg', () => {
  it.each(processTemplates.map((t) => [t.code, t] as const))(
    '%s: a standalone SVG with every stage, item and the total',
    (_code, def) => {
      const view = templateView(def, items);
      const svg = renderFlowchartSvg(view, items, departmentsByCode);

      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
      expect(svg).toMatch(/width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
      expect(svg).toContain("'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif");
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(tagsAreBalanced(svg)).toBe(true);

      expect(svg).toContain(def.name);
      expect(svg).toContain(`全流程 ${view.totalWorkingDays} 个工作日 (目标 ≤ 100)`);
      for (const stage of view.stages) {
        expect(svg).toContain(stage.name);
        expect(svg).toContain(`${stage.timeLimitWorkingDays} 个工作日`);
        for (const ti of stage.items) expect(svg).toContain(items.get(ti.itemCode)?.name);
      }
      // Lead departments are named, not coded.
      expect(svg).toContain('市发展改革委');
    },
  );

  it('draws only a project’s applicable items when the view is built for it', () => {
    const def = processTemplates.find((t) => t.code === 'SOCIAL_TRANSFER') as TemplateDefinition;
    const view = templateView(def, items, { ...defaultProjectAttributes, hasCivilAirDefence: false });
    const svg = renderFlowchartSvg(view, items, departmentsByCode);
    expect(svg).not.toContain('防空地下室建设审批');
    expect(svg).toContain('建设工程规划许可证核发');
  });

  it('escapes markup in names', () => {
    const def = processTemplates[0] as TemplateDefinition;
    const hostile: TemplateDefinition = { ...def, name: '测试<script>&"流程"' };
    const renamed = new Map(items);
    const first = def.stages[0]?.items[0]?.itemCode ?? '';
    const item = items.get(first);
    if (item) renamed.set(first, { ...item, name: '事项<b>&</b>' });
    const svg = renderFlowchartSvg(templateView(hostile, renamed), renamed, departmentsByCode);
    expect(svg).toContain('测试&lt;script&gt;&amp;&quot;流程&quot;');
    expect(svg).toContain('事项&lt;b&gt;&amp;&lt;/b&gt;');
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(tagsAreBalanced(svg)).toBe(true);
  });

  it('keeps boxes from overlapping', () => {
    const def = processTemplates[0] as TemplateDefinition;
    const svg = renderFlowchartSvg(templateView(def, items), items, departmentsByCode);
    const boxes = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="176" height="([\d.]+)"/g)].map(
      (m) => ({
        x: Number(m[1]),
        y: Number(m[2]),
        h: Number(m[3]),
      }),
    );
    expect(boxes.length).toBeGreaterThan(20);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlapX = a.x < b.x + 176 && b.x < a.x + 176;
        const overlapY = a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlapX && overlapY).toBe(false);
      }
    }
  });
});
