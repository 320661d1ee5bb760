-- 收件回执 (issue 16 item 4, slice 16a): the receipt the window's system gives when an application is
-- submitted — what was received, when, and that a decision to accept or not follows within 5 working
-- days (《行政许可法》第三十二条). One more kind of administrative document.
ALTER TABLE administrative_document DROP CONSTRAINT administrative_document_kind_check;
ALTER TABLE administrative_document ADD CONSTRAINT administrative_document_kind_check
  CHECK (kind IN ('acceptance', 'correction', 'refusal', 'denial', 'extension', 'completion', 'receipt'));
