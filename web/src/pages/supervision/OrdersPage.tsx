/** 督办答复: a department's staff see the orders on their department's tasks and answer them. */
import { Card } from 'antd';
import { PageHeader } from '../../components/PageHeader';
import { useTx } from '../projects/strings';
import { Orders } from './Orders';

export default function OrdersPage() {
  const tx = useTx();
  return (
    <>
      <PageHeader
        title={tx('督办答复', 'Supervision orders')}
        subTitle={tx(
          '电子监察或牵头部门对本部门办件发出的督办单，请在答复期限内答复；逾期未答复的升级至部门负责人。',
          'Orders on your department’s tasks; answer before the due date, or they go to the head.',
        )}
      />
      <Card>
        <Orders mine />
      </Card>
    </>
  );
}
