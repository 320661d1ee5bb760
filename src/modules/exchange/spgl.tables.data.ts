/**
 * The SPGL tables this system uploads, with field codes, names and types exactly as in
 * ../shared/reference/exchange-fields.tsv (住建部 V3 as implemented by Epoint 新点). Generated from that
 * file: copy facts, not code. Field order is the reference's.
 */
export type FieldType = 'string' | 'integer' | 'number' | 'date';

export interface SpglField {
  code: string;
  name: string;
  type: FieldType;
}

export interface SpglTable {
  code: string;
  name: string;
  fields: readonly SpglField[];
}

export const SPGL_TABLES: readonly SpglTable[] = [
  {
    code: 'SPGL_XMJBXXB_V3',
    name: '住建部_项目基本信息表',
    fields: [
      { code: 'LSH', name: '流水号', type: 'integer' },
      { code: 'DFSJZJ', name: '地方数据主键', type: 'string' },
      { code: 'XZQHDM', name: '行政区划代码', type: 'string' },
      { code: 'XMDM', name: '项目代码', type: 'string' },
      { code: 'XMMC', name: '项目名称', type: 'string' },
      { code: 'GCFL', name: '工程分类', type: 'integer' },
      { code: 'LXLX', name: '立项类型', type: 'integer' },
      { code: 'JSXZ', name: '建设性质', type: 'integer' },
      { code: 'XMZJSX', name: '项目资金属性', type: 'integer' },
      { code: 'GBHY', name: '国标行业', type: 'string' },
      { code: 'NKGSJ', name: '拟开工时间', type: 'date' },
      { code: 'NJCSJ', name: '拟建成时间', type: 'date' },
      { code: 'ZTZE', name: '总投资额（万元）', type: 'number' },
      { code: 'JSDD', name: '建设地点', type: 'string' },
      { code: 'JSGMJNR', name: '建设规模及内容', type: 'string' },
      { code: 'SBSJ', name: '申报时间', type: 'date' },
      { code: 'SPLCBM', name: '审批流程编码', type: 'string' },
      { code: 'SPLCBBH', name: '审批流程版本号', type: 'number' },
      { code: 'SJYXBS', name: '数据有效标识', type: 'integer' },
      { code: 'SJWXYY', name: '数据无效原因', type: 'string' },
      { code: 'SJSCZT', name: '数据上传状态', type: 'integer' },
      { code: 'SBYY', name: '失败原因', type: 'string' },
      { code: 'GCDM', name: '工程代码', type: 'string' },
      { code: 'GCFW', name: '工程范围', type: 'string' },
      { code: 'QJDGCDM', name: '前阶段关联工程代码', type: 'string' },
      { code: 'XMTZLY', name: '项目投资来源', type: 'integer' },
      { code: 'TDHQFS', name: '土地获取方式', type: 'integer' },
      { code: 'TDSFDSJFA', name: '土地是否带设计方案', type: 'integer' },
      { code: 'SFWCQYPG', name: '是否完成区域评估', type: 'integer' },
      { code: 'SPLCLX', name: '审批流程类型', type: 'integer' },
      { code: 'GBHYDMFBND', name: '国标行业代码发布年代', type: 'string' },
      { code: 'XMSFWQBJ', name: '项目是否完全办结', type: 'integer' },
      { code: 'XMWQBJSJ', name: '项目完全办结时间', type: 'date' },
      { code: 'JSDDXZQH', name: '建设地点行政区划', type: 'string' },
      { code: 'JSDW', name: '建设单位', type: 'string' },
      { code: 'JSDWDM', name: '建设单位代码', type: 'string' },
      { code: 'JSDWLX', name: '建设单位类型', type: 'integer' },
      { code: 'XMJWDZB', name: '项目经纬度坐标', type: 'string' },
      { code: 'SFXXGC', name: '是否线性工程', type: 'integer' },
      { code: 'GCHYFL', name: '工程行业分类', type: 'integer' },
      { code: 'CD', name: '长度', type: 'number' },
      { code: 'YDMJ', name: '用地面积', type: 'number' },
      { code: 'JZMJ', name: '建筑面积', type: 'number' },
    ],
  },
  {
    code: 'SPGL_XMSPSXBLXXB_V3',
    name: '住建部_项目审批事项办理信息表',
    fields: [
      { code: 'LSH', name: '流水号', type: 'integer' },
      { code: 'DFSJZJ', name: '地方数据主键', type: 'string' },
      { code: 'XZQHDM', name: '行政区划代码', type: 'string' },
      { code: 'GCDM', name: '工程代码', type: 'string' },
      { code: 'SPSXBM', name: '审批事项编码', type: 'string' },
      { code: 'SPSXBBH', name: '审批事项版本号', type: 'number' },
      { code: 'SPLCBM', name: '审批流程编码', type: 'string' },
      { code: 'SPLCBBH', name: '审批流程版本号', type: 'number' },
      { code: 'SPSXSLBM', name: '审批事项实例编码', type: 'string' },
      { code: 'SPBMBM', name: '审批部门编码', type: 'string' },
      { code: 'SPBMMC', name: '审批部门名称', type: 'string' },
      { code: 'SLFS', name: '受理方式', type: 'integer' },
      { code: 'GKFS', name: '公开方式', type: 'integer' },
      { code: 'BLSPSLBM', name: '并联审批实例编码', type: 'string' },
      { code: 'SXBLSX', name: '事项办理时限', type: 'integer' },
      { code: 'SJYXBS', name: '数据有效标识', type: 'integer' },
      { code: 'SJWXYY', name: '数据无效原因', type: 'string' },
      { code: 'SJSCZT', name: '数据上传状态', type: 'integer' },
      { code: 'SBYY', name: '失败原因', type: 'string' },
      { code: 'LXR', name: '联系人/代理人', type: 'string' },
      { code: 'LXRSJH', name: '联系人手机号', type: 'string' },
      { code: 'YWQX', name: '业务情形', type: 'integer' },
      { code: 'QYPGDYBM', name: '区域评估单元编码', type: 'string' },
      { code: 'YYQYPGQK', name: '应用区域评估情况', type: 'string' },
      { code: 'SXGZCNZSPQK', name: '实行告知承诺制审批情况', type: 'string' },
    ],
  },
  {
    code: 'SPGL_XMSPSXBLXXXXB_V3',
    name: '住建部_项目审批事项办理详细信息表',
    fields: [
      { code: 'LSH', name: '流水号', type: 'integer' },
      { code: 'DFSJZJ', name: '地方数据主键', type: 'string' },
      { code: 'XZQHDM', name: '行政区划代码', type: 'string' },
      { code: 'GCDM', name: '工程代码', type: 'string' },
      { code: 'SPSXSLBM', name: '审批事项实例编码', type: 'string' },
      { code: 'BLCS', name: '办理处（科）室', type: 'string' },
      { code: 'BLR', name: '办理人', type: 'string' },
      { code: 'BLZT', name: '办理状态', type: 'integer' },
      { code: 'BLYJ', name: '办理意见', type: 'string' },
      { code: 'BLSJ', name: '办理时间', type: 'date' },
      { code: 'SJYXBS', name: '数据有效标识', type: 'integer' },
      { code: 'SJWXYY', name: '数据无效原因', type: 'string' },
      { code: 'SJSCZT', name: '数据上传状态', type: 'integer' },
      { code: 'SBYY', name: '失败原因', type: 'string' },
      { code: 'DWMC', name: '单位名称', type: 'string' },
      { code: 'DWTYSHXYDM', name: '单位统一社会信用代码', type: 'string' },
      { code: 'SJLY', name: '数据来源', type: 'string' },
    ],
  },
  {
    code: 'SPGL_XMSPSXPFWJXXB_V3',
    name: '住建部_审批事项批复文件信息表',
    fields: [
      { code: 'LSH', name: '流水号', type: 'integer' },
      { code: 'DFSJZJ', name: '地方数据主键', type: 'string' },
      { code: 'XZQHDM', name: '行政区划代码', type: 'string' },
      { code: 'GCDM', name: '工程代码', type: 'string' },
      { code: 'SPSXSLBM', name: '审批事项实例编码', type: 'string' },
      { code: 'PFRQ', name: '批复日期', type: 'date' },
      { code: 'PFWH', name: '批复文号', type: 'string' },
      { code: 'PFWJBT', name: '批复文件标题', type: 'string' },
      { code: 'PFWJYXQX', name: '批复文件有效期限', type: 'date' },
      { code: 'SPJGLX', name: '审批结果类型', type: 'string' },
      { code: 'ZZBH', name: '证照编号', type: 'string' },
      { code: 'ZZBS', name: '证照标识', type: 'string' },
      { code: 'DZZZWJLJ', name: '电子证照文件路径', type: 'string' },
      { code: 'FJMC', name: '附件名称', type: 'string' },
      { code: 'FJID', name: '附件ID', type: 'string' },
      { code: 'SJYXBS', name: '数据有效标识', type: 'integer' },
      { code: 'SJWXYY', name: '数据无效原因', type: 'string' },
      { code: 'SJSCZT', name: '数据上传状态', type: 'integer' },
      { code: 'SBYY', name: '失败原因', type: 'string' },
      { code: 'FJLX', name: '附件类型', type: 'string' },
    ],
  },
];

export const PROJECT_TABLE = 'SPGL_XMJBXXB_V3';
export const ITEM_TABLE = 'SPGL_XMSPSXBLXXB_V3';
export const HANDLING_TABLE = 'SPGL_XMSPSXBLXXXXB_V3';
export const REPLY_TABLE = 'SPGL_XMSPSXPFWJXXB_V3';

export const spglTable = (code: string): SpglTable | undefined => SPGL_TABLES.find((t) => t.code === code);
