/**
 * The search box of a list: a labelled text box (its name is on the <input> itself, which antd's
 * Input.Search puts on a wrapper instead) searched with Enter or the button; clearing it shows all again.
 */
import { SearchOutlined } from '@ant-design/icons';
import { Button, Input, Space } from 'antd';
import { useState } from 'react';

export function SearchBox(props: {
  label: string;
  placeholder: string;
  buttonText: string;
  testId: string;
  width?: number;
  onSearch: (q: string | undefined) => void;
}) {
  const [text, setText] = useState('');
  const search = (value: string) => props.onSearch(value.trim() || undefined);
  return (
    <Space.Compact>
      <Input
        allowClear
        style={{ width: props.width ?? 300 }}
        prefix={<SearchOutlined aria-hidden />}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value === '') search('');
        }}
        onPressEnter={() => search(text)}
        placeholder={props.placeholder}
        aria-label={props.label}
        data-testid={props.testId}
      />
      <Button onClick={() => search(text)} data-testid={`${props.testId}-button`}>
        {props.buttonText}
      </Button>
    </Space.Compact>
  );
}
