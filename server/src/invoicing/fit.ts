/**
 * Fits a document draft and its customer to the connected vendor's documented field limits before
 * anything is sent. Text that only labels the document is moved, never dropped: an overlong title
 * keeps its first words and starts the introduction in full; an overlong line name keeps its first
 * words and continues at the start of the line's description. What cannot be moved (an overlong
 * introduction, a customer's name or street) is refused with the field named, so the user sees why.
 * Lengths are counted in Unicode code points, as the vendors count characters. Pure.
 */
import type { CustomerInput, DocumentDraft, FieldLimits } from '../accounting/provider';

export type DocumentField = keyof FieldLimits['document'];
export type CustomerField = keyof FieldLimits['customer'];

export type FitNotice =
  /** Informational: the text was moved, nothing is lost. */
  | { code: 'title_moved_to_introduction'; blocking: false; limit: number; length: number }
  | { code: 'line_name_continued'; blocking: false; line: number; limit: number; length: number }
  /** Blocking: the document is not created. */
  | { code: 'field_too_long'; blocking: true; field: DocumentField | CustomerField; limit: number; length: number; line?: number }
  | { code: 'too_many_lines'; blocking: true; limit: number; length: number };

type Draft = Omit<DocumentDraft, 'customerId'>;

const ellipsis = '…';

export function textLength(text: string): number {
  return [...text].length;
}

/**
 * The longest start of `text` that ends at a word boundary and, with an ellipsis, fits `limit`
 * (a hard cut where the first word alone is too long), and the rest of the text.
 */
export function splitAtWord(text: string, limit: number): { head: string; rest: string } {
  const chars = [...text];
  const room = Math.max(1, limit - 1);
  let cut = room;
  while (cut > 0 && !/\s/.test(chars[cut] ?? ' ')) cut--;
  if (cut === 0) cut = room;
  const head = chars.slice(0, cut).join('').trimEnd();
  return { head: head + ellipsis, rest: chars.slice(cut).join('').trim() };
}

export function fitDraft(draft: Draft, limits: FieldLimits['document']): { draft: Draft; notices: FitNotice[] } {
  const notices: FitNotice[] = [];
  let { title, introduction } = draft;
  if (title && limits.title !== undefined && textLength(title) > limits.title) {
    notices.push({ code: 'title_moved_to_introduction', blocking: false, limit: limits.title, length: textLength(title) });
    introduction = introduction ? `${title}\n\n${introduction}` : title;
    title = splitAtWord(title, limits.title).head;
  }
  const lines = draft.lines.map((line, index) => {
    if (limits.lineName === undefined || textLength(line.name) <= limits.lineName) return line;
    notices.push({ code: 'line_name_continued', blocking: false, line: index + 1, limit: limits.lineName, length: textLength(line.name) });
    const { head, rest } = splitAtWord(line.name, limits.lineName);
    return { ...line, name: head, description: line.description ? `${ellipsis}${rest}\n${line.description}` : `${ellipsis}${rest}` };
  });
  const fitted: Draft = { ...draft, title, introduction, lines };
  if (limits.maxLines !== undefined && lines.length > limits.maxLines) {
    notices.push({ code: 'too_many_lines', blocking: true, limit: limits.maxLines, length: lines.length });
  }
  for (const field of ['introduction', 'closingText', 'paymentTerms'] as const) {
    notices.push(...tooLong(field, fitted[field], limits[field]));
  }
  lines.forEach((line, index) => notices.push(...tooLong('lineDescription', line.description, limits.lineDescription, index + 1)));
  return { draft: fitted, notices };
}

/** Customer data is identity: it is never cut, only refused with the field that is too long. */
export function checkCustomer(customer: CustomerInput, limits: FieldLimits['customer']): FitNotice[] {
  const a = customer.address ?? {};
  const values: Record<CustomerField, string | undefined> = {
    companyName: customer.companyName,
    firstName: customer.firstName,
    lastName: customer.lastName,
    street: a.street,
    zip: a.zip,
    city: a.city,
    email: customer.email,
    phone: customer.phone,
    vatId: customer.vatId,
    customerNumber: customer.customerNumber,
  };
  return (Object.keys(values) as CustomerField[]).flatMap((field) => tooLong(field, values[field], limits[field]));
}

function tooLong(field: DocumentField | CustomerField, value: string | undefined, limit: number | undefined, line?: number): FitNotice[] {
  if (value === undefined || limit === undefined || textLength(value) <= limit) return [];
  return [{ code: 'field_too_long', blocking: true, field, limit, length: textLength(value), ...(line ? { line } : {}) }];
}

/** A notice's details as message parameters (`field`, `limit`, `length`, `line`). */
export function noticeParams(notice: FitNotice): Record<string, string | number> {
  const { code: _code, blocking: _blocking, ...params } = notice;
  return params;
}

export type TextField = 'title' | 'introduction' | 'paymentTerms' | 'closingText';

export interface TextLimitWarning {
  field: TextField;
  /** `title_moved`: every title will be moved into the introduction; `too_long`: no invoice can be created. */
  code: 'title_moved' | 'too_long';
  limit: number;
  /** Length of the fixed text alone, placeholders left empty. */
  length: number;
}

/**
 * What saving these invoice texts means for the connected vendor, before any deal is sent: the fixed
 * text of a template (placeholders left empty, so what every invoice will at least carry) against the
 * vendor's limit for that field. Whether a deal's values make it too long the preview tells, per deal.
 */
export function textLimitWarnings(fixedTexts: Record<TextField, string>, limits: FieldLimits['document']): TextLimitWarning[] {
  const warnings: TextLimitWarning[] = [];
  for (const field of ['title', 'introduction', 'paymentTerms', 'closingText'] as const) {
    const limit = limits[field];
    const length = textLength(fixedTexts[field]);
    if (limit === undefined || length <= limit) continue;
    warnings.push({ field, code: field === 'title' ? 'title_moved' : 'too_long', limit, length });
  }
  return warnings;
}
