/**
 * Block Kit checks for message blocks, with Slack's limits and its `[ERROR] ... [json-pointer:/blocks/0/...]`
 * messages, so a connector that sends a block Slack would refuse fails in tests with the same `invalid_blocks`.
 * Limits: https://docs.slack.dev/reference/block-kit/blocks (section text 3000, header 150, 50 blocks, ...).
 */

const MAX_BLOCKS = 50;
const BLOCK_ID_MAX = 255;

type Obj = Record<string, unknown>;
type Check = (value: Obj, pointer: string, errors: string[]) => void;

const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function textObject(
  value: unknown,
  pointer: string,
  errors: string[],
  options: { max: number; plainOnly?: boolean },
): void {
  if (!isObj(value)) {
    errors.push(`[ERROR] must provide an object [json-pointer:${pointer}]`);
    return;
  }
  const allowed = options.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (!allowed.includes(value.type as string)) {
    errors.push(`[ERROR] must be one of [${allowed.join(', ')}] [json-pointer:${pointer}/type]`);
  }
  stringField(value.text, `${pointer}/text`, errors, options.max);
}

function stringField(value: unknown, pointer: string, errors: string[], max: number, min = 1): void {
  if (typeof value !== 'string') {
    errors.push(`[ERROR] must provide a string [json-pointer:${pointer}]`);
  } else if (value.length < min) {
    errors.push(`[ERROR] must be more than ${min - 1} characters [json-pointer:${pointer}]`);
  } else if (value.length > max) {
    errors.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}]`);
  }
}

function required(block: Obj, field: string, pointer: string, errors: string[]): boolean {
  if (block[field] !== undefined) return true;
  errors.push(`[ERROR] missing required field: ${field} [json-pointer:${pointer}]`);
  return false;
}

function list(value: unknown, pointer: string, errors: string[], min: number, max: number): unknown[] {
  if (!Array.isArray(value)) {
    errors.push(`[ERROR] must provide an array [json-pointer:${pointer}]`);
    return [];
  }
  if (value.length < min) errors.push(`[ERROR] must provide at least ${min} items [json-pointer:${pointer}]`);
  if (value.length > max) errors.push(`[ERROR] no more than ${max} items allowed [json-pointer:${pointer}]`);
  return value;
}

/** Interactive and image elements a message may carry in accessories, actions and contexts. */
const ELEMENTS: Record<string, Check> = {
  button(e, p, errors) {
    if (required(e, 'text', p, errors)) textObject(e.text, `${p}/text`, errors, { max: 75, plainOnly: true });
    if (e.url !== undefined) stringField(e.url, `${p}/url`, errors, 3000);
    if (e.value !== undefined) stringField(e.value, `${p}/value`, errors, 2000);
    if (e.action_id !== undefined) stringField(e.action_id, `${p}/action_id`, errors, 255);
    if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') {
      errors.push(`[ERROR] must be one of [primary, danger] [json-pointer:${p}/style]`);
    }
  },
  image(e, p, errors) {
    if (e.slack_file === undefined && required(e, 'image_url', p, errors)) {
      stringField(e.image_url, `${p}/image_url`, errors, 3000);
    }
    if (required(e, 'alt_text', p, errors)) stringField(e.alt_text, `${p}/alt_text`, errors, 2000);
  },
  overflow(e, p, errors) {
    list(e.options, `${p}/options`, errors, 1, 5);
  },
  static_select(e, p, errors) {
    if (e.options === undefined && e.option_groups === undefined) required(e, 'options', p, errors);
  },
  users_select: () => {},
  conversations_select: () => {},
  channels_select: () => {},
  datepicker: () => {},
  checkboxes: () => {},
  radio_buttons: () => {},
};

function element(value: unknown, pointer: string, errors: string[], allowed: readonly string[]): void {
  if (!isObj(value) || typeof value.type !== 'string' || !allowed.includes(value.type)) {
    const type = isObj(value) ? String(value.type) : typeof value;
    errors.push(`[ERROR] unsupported type: ${type} [json-pointer:${pointer}/type]`);
    return;
  }
  ELEMENTS[value.type]?.(value, pointer, errors);
}

const ACTION_ELEMENTS = Object.keys(ELEMENTS).filter((t) => t !== 'image');

/** Block type -> its checks. Types not listed (e.g. `input`) are refused in messages, as Slack does. */
const BLOCKS: Record<string, Check> = {
  section(b, p, errors) {
    if (b.text === undefined && b.fields === undefined) {
      errors.push(`[ERROR] must provide either text or fields [json-pointer:${p}]`);
    }
    if (b.text !== undefined) textObject(b.text, `${p}/text`, errors, { max: 3000 });
    if (b.fields !== undefined) {
      list(b.fields, `${p}/fields`, errors, 1, 10).forEach((f, i) => {
        textObject(f, `${p}/fields/${i}`, errors, { max: 2000 });
      });
    }
    if (b.accessory !== undefined) element(b.accessory, `${p}/accessory`, errors, Object.keys(ELEMENTS));
  },
  header(b, p, errors) {
    if (required(b, 'text', p, errors))
      textObject(b.text, `${p}/text`, errors, { max: 150, plainOnly: true });
  },
  divider: () => {},
  context(b, p, errors) {
    list(b.elements, `${p}/elements`, errors, 1, 10).forEach((e, i) => {
      if (isObj(e) && (e.type === 'plain_text' || e.type === 'mrkdwn')) {
        textObject(e, `${p}/elements/${i}`, errors, { max: 3000 });
      } else element(e, `${p}/elements/${i}`, errors, ['image']);
    });
  },
  actions(b, p, errors) {
    list(b.elements, `${p}/elements`, errors, 1, 25).forEach((e, i) => {
      element(e, `${p}/elements/${i}`, errors, ACTION_ELEMENTS);
    });
  },
  image(b, p, errors) {
    ELEMENTS.image!(b, p, errors);
    if (b.title !== undefined) textObject(b.title, `${p}/title`, errors, { max: 2000, plainOnly: true });
  },
  rich_text(b, p, errors) {
    list(b.elements, `${p}/elements`, errors, 1, Number.POSITIVE_INFINITY);
  },
  markdown(b, p, errors) {
    stringField(b.text, `${p}/text`, errors, 12_000);
  },
};

/** The `response_metadata.messages` of an `invalid_blocks` answer; empty when the blocks are fine. */
export function checkBlocks(blocks: unknown): string[] {
  const errors: string[] = [];
  const items = list(blocks, '/blocks', errors, 0, MAX_BLOCKS);
  const ids = new Set<string>();
  items.forEach((block, i) => {
    const pointer = `/blocks/${i}`;
    if (!isObj(block)) {
      errors.push(`[ERROR] must provide an object [json-pointer:${pointer}]`);
      return;
    }
    const check = typeof block.type === 'string' ? BLOCKS[block.type] : undefined;
    if (!check) {
      errors.push(`[ERROR] unsupported type: ${String(block.type)} [json-pointer:${pointer}/type]`);
      return;
    }
    if (block.block_id !== undefined) {
      stringField(block.block_id, `${pointer}/block_id`, errors, BLOCK_ID_MAX);
      if (ids.has(String(block.block_id))) {
        errors.push(
          `[ERROR] duplicate block_id: ${String(block.block_id)} [json-pointer:${pointer}/block_id]`,
        );
      }
      ids.add(String(block.block_id));
    }
    check(block, pointer, errors);
  });
  return errors;
}
