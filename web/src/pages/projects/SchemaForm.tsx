/** Renders the stage's merged application form (JSON Schema, draft 2020-12) as antd form items. */
import { Checkbox, Col, Form, Input, InputNumber, Row, Select } from 'antd';
import type { JsonSchemaProperty } from './api';

export function SchemaFields({
  schema,
}: {
  schema: { properties?: Record<string, JsonSchemaProperty>; required?: string[] };
}) {
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {});
  return (
    <Row gutter={16}>
      {entries.map(([key, p]) => (
        <Col span={p.type === 'string' && (p.maxLength ?? 0) > 200 ? 24 : 12} key={key}>
          <Form.Item
            name={key}
            label={p.title ?? key}
            tooltip={p.description}
            valuePropName={p.type === 'boolean' ? 'checked' : 'value'}
            rules={p.type === 'boolean' ? [] : [{ required: required.has(key) }]}
          >
            {field(key, p)}
          </Form.Item>
        </Col>
      ))}
    </Row>
  );
}

function field(key: string, p: JsonSchemaProperty) {
  const testId = `form-field-${key}`;
  if (p.enum) {
    return (
      <Select data-testid={testId} options={p.enum.map((v) => ({ value: v as string, label: String(v) }))} />
    );
  }
  if (p.type === 'boolean') return <Checkbox data-testid={testId} />;
  if (p.type === 'number' || p.type === 'integer') {
    return (
      <InputNumber
        data-testid={testId}
        style={{ width: '100%' }}
        min={p.minimum}
        max={p.maximum}
        precision={p.type === 'integer' ? 0 : undefined}
      />
    );
  }
  if (p.format === 'date') return <Input type="date" data-testid={testId} />;
  if ((p.maxLength ?? 0) > 200)
    return <Input.TextArea rows={3} data-testid={testId} maxLength={p.maxLength} />;
  return <Input data-testid={testId} maxLength={p.maxLength} />;
}

/** Drops empty values so optional fields are not sent as "" or null. */
export function cleanForm(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === '') continue;
    out[k] = v;
  }
  return out;
}
