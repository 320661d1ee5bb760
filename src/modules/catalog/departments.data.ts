/**
 * Zhengzhou's departments taking part in construction-project approval (郑政办〔2019〕26号), plus the
 * technical-review bodies and the 市政公用 utilities (任务22/57). Codes are stable: user names are
 * `<code>.reviewer`, item codes embed them (ZZ-<CODE>-nnn).
 */
import type { Department } from './catalog.schemas';

export const departments: Department[] = [
  // Stage leads, 方案 §(六): 立项 → 发改委; 建设许可 → 自然资源和规划局; 施工许可、竣工验收 → 城建局、重点项目办.
  { code: 'fgw', name: '市发展改革委', kind: 'government', leadsStages: [1] },
  { code: 'zrzy', name: '市自然资源和规划局', kind: 'government', leadsStages: [2] },
  { code: 'cjj', name: '市城乡建设局', kind: 'government', leadsStages: [3, 4] },
  { code: 'zdxmb', name: '市重点项目办', kind: 'government', leadsStages: [3, 4] },

  // Departments the plan names as responsible units without approval items of their own.
  { code: 'zwb', name: '市政务办', kind: 'government', leadsStages: [] },
  { code: 'dsj', name: '市大数据管理局', kind: 'government', leadsStages: [] },
  { code: 'sfj', name: '市司法局', kind: 'government', leadsStages: [] },
  { code: 'zfbgt', name: '市政府办公厅', kind: 'government', leadsStages: [] },

  // Departments that run items. Fire design review and acceptance sit with 市城乡建设局 since the
  // 2019-04-23 amendment of 《消防法》, so there is no separate fire department here.
  { code: 'rfb', name: '市人防办', kind: 'government', leadsStages: [] },
  { code: 'cgj', name: '市城市管理局', kind: 'government', leadsStages: [] },
  { code: 'sthj', name: '市生态环境局', kind: 'government', leadsStages: [] },
  { code: 'slj', name: '市水利局', kind: 'government', leadsStages: [] },
  { code: 'wwj', name: '市文物局', kind: 'government', leadsStages: [] },
  { code: 'qxj', name: '市气象局', kind: 'government', leadsStages: [] },
  { code: 'ylj', name: '市园林局', kind: 'government', leadsStages: [] },
  { code: 'gaj', name: '市公安局', kind: 'government', leadsStages: [] },
  { code: 'jtj', name: '市交通运输局', kind: 'government', leadsStages: [] },
  { code: 'dzj', name: '市地震局', kind: 'government', leadsStages: [] },
  { code: 'cjda', name: '市城建档案馆', kind: 'government', leadsStages: [] },

  // 联合审图 (任务28) and 联合测绘 (任务36) are done by commissioned bodies.
  { code: 'stsc', name: '施工图联合审查机构', kind: 'review_body', leadsStages: [] },
  { code: 'lhch', name: '联合测绘机构', kind: 'review_body', leadsStages: [] },

  // 市政公用服务单位 (任务22: 报装提前到开工前办理; 任务57: 入驻政务服务大厅).
  { code: 'water', name: '供水单位', kind: 'utility', leadsStages: [] },
  { code: 'power', name: '供电单位', kind: 'utility', leadsStages: [] },
  { code: 'gas', name: '燃气单位', kind: 'utility', leadsStages: [] },
  { code: 'heat', name: '供热单位', kind: 'utility', leadsStages: [] },
  { code: 'drainage', name: '排水单位', kind: 'utility', leadsStages: [] },
  { code: 'telecom', name: '通信运营单位', kind: 'utility', leadsStages: [] },
];
