/** Small XML writers for Qualys' documents: text goes in CDATA where Qualys uses it, else is escaped. */

export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function element(name: string, value: string | number | null | undefined): string {
  return value === null || value === undefined
    ? ''
    : `<${name}>${typeof value === 'number' ? value : escapeXml(value)}</${name}>`;
}

export const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" ?>\n';

export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** `<SIMPLE_RETURN>`: how the Qualys v2 API answers errors. */
export function simpleReturn(code: number, text: string, at: number): string {
  return (
    `${XML_HEADER}<!DOCTYPE SIMPLE_RETURN SYSTEM "https://qualysapi.qualys.com/api/2.0/simple_return.dtd">\n` +
    `<SIMPLE_RETURN><RESPONSE><DATETIME>${isoSeconds(at)}</DATETIME><CODE>${code}</CODE>` +
    `<TEXT>${escapeXml(text)}</TEXT></RESPONSE></SIMPLE_RETURN>\n`
  );
}
