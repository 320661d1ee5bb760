/** 本企业信用 (applicant): grade with reasons, records, listings; objection (异议) and credit repair (信用修复). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Flex, Input, Modal, Spin } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useTx } from '../projects/strings';
import type { Listing, SubjectDetail } from './api';
import { GradeCard, ListingCard, RecordsTable } from './CreditViews';

export default function MyCreditPage() {
  const { data, error } = useQuery({
    queryKey: ['credit-mine'],
    queryFn: ({ signal }) => api.get<SubjectDetail>('/api/credit/mine', undefined, signal),
  });
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Spin />;
  return (
    <Flex vertical gap={16}>
      <GradeCard detail={data} />
      {data.listings.map((l) => (
        <ListingCard key={l.id} listing={l} actions={<ListingActions listing={l} />} />
      ))}
      <RecordsTable detail={data} />
    </Flex>
  );
}

function ListingActions({ listing }: { listing: Listing }) {
  const tx = useTx();
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState<'objection' | 'repair' | null>(null);
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: () =>
      open === 'objection'
        ? api.post(`/api/credit/listings/${listing.id}/objections`, { reason: text })
        : api.post(`/api/credit/listings/${listing.id}/repairs`, { measures: text }),
    onSuccess: async () => {
      setOpen(null);
      setText('');
      message.success(tx('已提交', 'Submitted'));
      await client.invalidateQueries({ queryKey: ['credit-mine'] });
    },
  });
  if (listing.list !== 'black' || (listing.status !== 'noticed' && listing.status !== 'listed')) return null;
  const pendingObjection = listing.objections?.some((o) => o.status === 'pending');
  const pendingRepair = listing.repairs?.some((o) => o.status === 'pending');
  return (
    <>
      {!pendingObjection && (
        <Button size="small" onClick={() => setOpen('objection')} data-testid="credit-object">
          {tx('提出异议', 'Object')}
        </Button>
      )}
      {listing.status === 'listed' && !pendingRepair && (
        <Button
          size="small"
          type="primary"
          style={{ marginLeft: 8 }}
          onClick={() => setOpen('repair')}
          data-testid="credit-repair"
        >
          {tx('申请信用修复', 'Request repair')}
        </Button>
      )}
      <Modal
        open={open !== null}
        title={open === 'objection' ? tx('提出异议', 'Objection') : tx('申请信用修复', 'Credit repair')}
        onCancel={() => setOpen(null)}
        onOk={() => send.mutate()}
        okText={tx('提交', 'Submit')}
        okButtonProps={{ disabled: !text.trim(), loading: send.isPending }}
      >
        {send.error && <ErrorAlert error={send.error} />}
        <Input.TextArea
          rows={4}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="credit-text"
          placeholder={
            open === 'objection'
              ? tx('异议理由及证据', 'Reasons and evidence')
              : tx('整改措施与信用承诺', 'Measures taken and pledge')
          }
        />
      </Modal>
    </>
  );
}
