/**
 * Demo intermediaries of the marketplace (issue 13), made through the API as their users and 政务办 would:
 * each registers, records a qualification and offers services within the list's standard; the window of
 * 政务办 lists them. The third is black-listed by the credit procedure (see seedDemoBlackList). Never runs
 * in production (demo accounts only exist outside it).
 */
import type { App, AppContext } from '../http/context';
import { fixedClock } from '../shared/clock';
import { enterRecord, runCreditSweep } from '../modules/credit/credit.service';
import { actorOf, type SessionUser } from '../modules/identity/identity.service';
import { DemoClient } from './demo-projects';
import { demoIntermediaries } from './demo';

const plans: Record<
  string,
  {
    contactName: string;
    phone: string;
    address: string;
    qualification: { name: string; grade: string; certificateNo: string; issuer: string };
    offers: { serviceCode: string; feeYuan: number; committedDays: number; commitment: string }[];
  }
> = {
  intermediary: {
    contactName: '周志远',
    phone: '0371-60000101',
    address: '郑州市金水区花园路 101 号',
    qualification: {
      name: '地质灾害危险性评估资质',
      grade: '甲级',
      certificateNo: '豫地灾评资字 2024-0101',
      issuer: '河南省自然资源厅',
    },
    offers: [
      {
        serviceCode: 'ZJ-DZZH-PG',
        feeYuan: 60000,
        committedDays: 15,
        commitment: '15 个工作日内出具评估报告，逾期按日减收 1% 服务费',
      },
      {
        serviceCode: 'ZJ-JGLHCH',
        feeYuan: 45000,
        committedDays: 10,
        commitment: '10 个工作日内完成竣工联合测绘',
      },
    ],
  },
  intermediary2: {
    contactName: '吴海峰',
    phone: '0371-60000102',
    address: '郑州市中原区建设路 102 号',
    qualification: {
      name: '测绘资质（工程测量、不动产测绘）',
      grade: '乙级',
      certificateNo: '乙测资字 41-2024-0102',
      issuer: '河南省自然资源厅',
    },
    offers: [
      {
        serviceCode: 'ZJ-DZZH-PG',
        feeYuan: 55000,
        committedDays: 18,
        commitment: '18 个工作日内出具评估报告',
      },
      {
        serviceCode: 'ZJ-JGLHCH',
        feeYuan: 40000,
        committedDays: 12,
        commitment: '12 个工作日内完成，成果一次提交',
      },
    ],
  },
  intermediary3: {
    contactName: '郑雅琴',
    phone: '0371-60000103',
    address: '郑州市郑东新区商务外环 103 号',
    qualification: {
      name: '环境影响评价及地质灾害评估综合资质',
      grade: '甲级',
      certificateNo: '豫环评字 2024-0103',
      issuer: '河南省生态环境厅',
    },
    offers: [
      {
        serviceCode: 'ZJ-HJYX-PJ',
        feeYuan: 150000,
        committedDays: 25,
        commitment: '25 个工作日内提交环境影响报告书(表)',
      },
      {
        serviceCode: 'ZJ-DZZH-PG',
        feeYuan: 70000,
        committedDays: 20,
        commitment: '20 个工作日内出具评估报告',
      },
    ],
  },
};

export async function seedDemoMarketplace(app: App, today: string): Promise<number> {
  const demo = new DemoClient(app);
  const expiresOn = `${Number(today.slice(0, 4)) + 2}-12-31`;
  let listed = 0;
  for (const e of demoIntermediaries) {
    const plan = plans[e.key]!;
    const registered = await demo.call<{ id: string }>(e.key, 'POST', '/api/marketplace/intermediaries', {
      name: e.name,
      creditCode: e.creditCode,
      contactName: plan.contactName,
      contactPhone: plan.phone,
      address: plan.address,
    });
    const withQualification = await demo.call<{ qualifications: { id: string }[] }>(
      e.key,
      'POST',
      '/api/marketplace/intermediaries/mine/qualifications',
      { ...plan.qualification, expiresOn },
    );
    for (const offer of plan.offers) {
      await demo.call(e.key, 'POST', '/api/marketplace/intermediaries/mine/offers', {
        ...offer,
        qualificationId: withQualification.qualifications[0]!.id,
      });
    }
    await demo.call('window', 'POST', `/api/marketplace/intermediaries/${registered.id}/review`, {
      decision: 'list',
      note: '资质、收费及服务承诺符合清单标准，准予入库',
    });
    listed++;
  }
  return listed;
}

const DAY = 86_400_000;

/**
 * The public black list's demo entry, by the real procedure: a month ago the 电子监察 supervisor recorded
 * two serious findings against 河南豫安环境科技有限公司 (the credit service on a clock set to that day), the
 * listing rule put it on notice then; the objection window (5 working days) has long passed, so today's
 * credit sweep lists it. Returns how many listings the sweep made.
 */
export async function seedDemoBlackList(app: App, ctx: AppContext): Promise<number> {
  const demo = new DemoClient(app);
  const target = demoIntermediaries[2]!;
  const { user } = await demo.call<{ user: SessionUser }>('supervisor', 'GET', '/api/auth/session');
  const { subjects } = await demo.call<{ subjects: { id: string; creditCode: string | null }[] }>(
    'supervisor',
    'GET',
    '/api/credit/subjects?kind=intermediary',
  );
  const subject = subjects.find((s) => s.creditCode === target.creditCode);
  if (!subject) return 0;
  const actor = actorOf({ ...user, enterpriseId: null });
  const monthAgo = {
    clock: fixedClock(new Date(ctx.clock.now().getTime() - 30 * DAY)),
    calendar: ctx.calendar,
  };
  for (const reason of ['出具虚假环境影响评价结论', '伪造现场监测数据']) {
    await enterRecord(ctx.db, monthAgo, actor, {
      subjectId: subject.id,
      kind: 'department_entry',
      severity: 'serious',
      reason,
      basis: '《建设项目环境保护管理条例》第二十三条；《郑州市工程建设项目审批制度改革实施方案》任务63、64',
      published: true,
    });
  }
  return (await runCreditSweep(ctx.db, ctx)).listed;
}
