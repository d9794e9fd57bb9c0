/**
 * One JSON document read as a stream (@streamparser/json): the items of a top-level array, or of the array
 * under an envelope key ({"data": [...]}), come out one at a time as each is complete, so a document of any
 * size is never held whole. A top-level object that is no envelope (one StandardLoggingPayload) is one record.
 */
import { type ParsedTokenInfo, Tokenizer, TokenParser, TokenType } from '@streamparser/json';

/** Keys under which JSON documents wrap their records: LiteLLM /spend/logs/v2 `data`, CloudWatch `events`. */
export const ENVELOPES: ReadonlySet<string> = new Set(['data', 'events', 'logs', 'records', 'Records']);

const VALUE_TOKENS = new Set([
  TokenType.LEFT_BRACE,
  TokenType.LEFT_BRACKET,
  TokenType.STRING,
  TokenType.NUMBER,
  TokenType.TRUE,
  TokenType.FALSE,
  TokenType.NULL,
]);

/** Invalid JSON, at a byte offset of the document (as fed). */
export class JsonDocumentError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Tokens are routed: inside a record they go to a record parser (which builds that record alone); around
 * records they go to a skeleton parser that checks the document's structure and holds only what is not a
 * record (an envelope's other keys; a null in place of each record). `records` fills as `write` is called.
 */
export class JsonDocument {
  /** Completed records not yet taken by the caller. */
  records: unknown[] = [];
  private readonly tokenizer = new Tokenizer();
  private readonly skeleton = new TokenParser({ paths: ['$'] });
  private readonly record = new TokenParser({ paths: ['$'], separator: '' });
  private inRecord = false;
  private depth = 0;
  /** Depth at which records sit: 1 in a top-level array, 2 in an envelope's array; -1 outside. */
  private recordDepth = -1;
  private root: 'array' | 'object' | 'scalar' | undefined;
  private key: unknown;
  private expectKey = false;
  private envelope = false;
  private rootValue: unknown;
  private rootDone = false;
  private fed = 0;

  constructor() {
    this.tokenizer.onToken = (t) => this.route(t);
    this.skeleton.onValue = ({ value }) => {
      this.rootValue = value;
      this.rootDone = true;
    };
    this.record.onValue = ({ value }) => {
      this.records.push(value);
      this.inRecord = false;
    };
  }

  /** Feeds the next bytes (or text); throws JsonDocumentError where the document stops being JSON. */
  write(data: Uint8Array | string): void {
    const start = this.fed;
    this.fed += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    try {
      this.tokenizer.write(data);
    } catch (err) {
      if (err instanceof JsonDocumentError) throw err;
      const at = /absolute position "(\d+)"/.exec((err as Error).message)?.[1];
      const char = /^Unexpected "([^"]*)"/.exec((err as Error).message)?.[1];
      throw new JsonDocumentError(char === undefined ? (err as Error).message : `unexpected "${char}"`, at ? Number(at) : start);
    }
  }

  /** The document is complete: adds a top-level object that is no envelope (or a scalar) as its one record. */
  end(): void {
    try {
      this.tokenizer.end();
    } catch {
      throw this.truncated();
    }
    if (this.inRecord || this.depth > 0) throw this.truncated();
    if (this.rootDone && this.root !== 'array' && !this.envelope) this.records.push(this.rootValue);
  }

  private truncated(): JsonDocumentError {
    return new JsonDocumentError('the document ends before it is complete', this.fed);
  }

  private route(t: ParsedTokenInfo): void {
    if (this.inRecord) {
      this.write1(this.record, t, t);
      return;
    }
    const { token } = t;
    if (this.depth === this.recordDepth && VALUE_TOKENS.has(token)) {
      // A null stands in for the record in the skeleton, which so checks the record's place (the comma before it).
      this.write1(this.skeleton, { token: TokenType.NULL, value: null, offset: t.offset }, t);
      this.inRecord = true;
      this.write1(this.record, t, t);
      return;
    }
    if (this.depth === 0 && this.root === undefined) {
      this.root = token === TokenType.LEFT_BRACKET ? 'array' : token === TokenType.LEFT_BRACE ? 'object' : 'scalar';
      if (this.root === 'array') this.recordDepth = 1;
      if (this.root === 'object') this.expectKey = true;
    } else if (this.depth === 1 && this.root === 'object') {
      if (token === TokenType.STRING && this.expectKey) {
        this.key = t.value;
        this.expectKey = false;
      } else if (token === TokenType.COMMA) this.expectKey = true;
      else if (token === TokenType.LEFT_BRACKET && !this.envelope && ENVELOPES.has(String(this.key))) {
        // The first envelope key holding an array: its items are the records.
        this.envelope = true;
        this.recordDepth = 2;
      }
    }
    this.write1(this.skeleton, t, t);
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) this.depth++;
    else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) {
      this.depth--;
      if (this.recordDepth === 2 && this.depth === 1) this.recordDepth = -1;
    }
  }

  /** Writes a token to a parser; its complaint is put in terms of the token in the input (`shown`). */
  private write1(parser: TokenParser, t: Omit<ParsedTokenInfo, 'offset'> & { offset: number }, shown: ParsedTokenInfo): void {
    try {
      parser.write(t);
    } catch {
      const after = this.rootDone && !this.inRecord ? ' after the end of the document' : '';
      throw new JsonDocumentError(`unexpected ${describe(shown)}${after}`, shown.offset);
    }
  }
}

function describe(t: ParsedTokenInfo): string {
  switch (t.token) {
    case TokenType.STRING: {
      const s = String(t.value);
      return `string ${JSON.stringify(s.length > 24 ? `${s.slice(0, 24)}…` : s)}`;
    }
    case TokenType.NUMBER:
      return `number ${String(t.value)}`;
    case TokenType.TRUE:
    case TokenType.FALSE:
    case TokenType.NULL:
      return String(t.value);
    default:
      return `"${String(t.value)}"`;
  }
}
