/** One material's file picker: uploads at once with XMLHttpRequest and shows the progress bar. */
import { UploadOutlined } from '@ant-design/icons';
import { Button, Flex, Progress, Typography } from 'antd';
import { useRef, useState } from 'react';
import { errorMessage } from '../../lib/errors';
import { useT } from '../../i18n';
import { uploadMaterial, useCsrfToken } from './api';
import { useTx } from './strings';

export interface Uploaded {
  fileId: string;
  name: string;
}

export function MaterialUpload({
  code,
  value,
  onChange,
  enterpriseId,
}: {
  code: string;
  value: Uploaded | undefined;
  onChange: (v: Uploaded | undefined) => void;
  /** Set when an agent uploads for the project's enterprise. */
  enterpriseId?: string;
}) {
  const tx = useTx();
  const t = useT();
  const csrf = useCsrfToken();
  const input = useRef<HTMLInputElement>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setPercent(0);
    onChange(undefined);
    try {
      const stored = await uploadMaterial(code, file, csrf(), setPercent, enterpriseId);
      onChange({ fileId: stored.id, name: file.name });
    } catch (err) {
      setError(errorMessage(err, t));
      setPercent(null);
    } finally {
      if (input.current) input.current.value = '';
    }
  };

  return (
    <Flex vertical gap={4} style={{ minWidth: 240 }}>
      <Flex gap={8} align="center">
        <input
          ref={input}
          type="file"
          accept=".pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/*"
          style={{ display: 'none' }}
          data-testid={`upload-input-${code}`}
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
        <Button size="small" icon={<UploadOutlined />} onClick={() => input.current?.click()}>
          {value ? tx('重新上传', 'Replace') : tx('上传', 'Upload')}
        </Button>
        {value && (
          <Typography.Text type="success" data-testid={`uploaded-${code}`}>
            {value.name}
          </Typography.Text>
        )}
      </Flex>
      {percent !== null && (
        <div
          data-testid={`upload-progress-${code}`}
          data-percent={percent}
          data-done={value ? 'true' : 'false'}
        >
          <Progress percent={percent} size="small" status={value ? 'success' : 'active'} />
        </div>
      )}
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </Flex>
  );
}
