import { Type, type TSchema } from '@sinclair/typebox';
import { CHANNELS, PETITION_KINDS, SATISFACTION, URGENCIES } from '@petitions/domain';

/** Non-blank text of bounded length: a title of spaces is as empty as no title. */
export const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description ? { description } : {}) });
export const Uuid = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });
/** An id checked outside a schema (headers, path segments that may also be a word). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const literalUnion = <T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });

export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String({ description: 'Stable machine-readable code, e.g. PETITION_NOT_FOUND' }),
  message: Type.String(),
  reqId: Type.String(),
  field: Type.Optional(Type.String({ description: 'The input field at fault, for 400s' })),
  state: Type.Optional(Type.String({ description: 'The petition state, for 409s' })),
}, { $id: 'ErrorBody' });

export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, Type.Ref(ErrorBody)])) as Record<number, TSchema>;

const Contact = Type.Object({
  name: Text(50, 'Requester name (stored encrypted)'),
  phone: Type.String({ pattern: '^\\+?[0-9][0-9 -]{5,18}[0-9]$', description: 'Phone number; digits, spaces and dashes', 'x-hint': 'a phone number: 7 to 20 digits, spaces or dashes' }),
  address: Type.Optional(Text(200, 'Requester address (stored encrypted)')),
}, { additionalProperties: false });

export const SubmitPetitionBody = Type.Object({
  kind: literalUnion(PETITION_KINDS, '诉求 request for action, or 咨询 inquiry'),
  channel: literalUnion(CHANNELS, 'Where the request came in'),
  urgency: Type.Optional(literalUnion(URGENCIES, 'Defaults to normal')),
  categoryId: Uuid('Category (leaf or branch) id'),
  districtId: Uuid('District (区) id'),
  streetId: Type.Optional(Uuid('Street (街道) id, within the district')),
  communityId: Type.Optional(Uuid('Community (社区) id, within the street')),
  locationText: Type.Optional(Text(200, 'Where the problem is, e.g. a road crossing')),
  latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  title: Text(100),
  content: Text(5000),
  contact: Type.Optional(Contact),
  directAnswer: Type.Optional(Text(5000, '直接答复: for an inquiry answered at intake; closes it as answered')),
  details: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]), {
    description: "Values of the category's extra fields (GET /categories → extraFields), by key",
  })),
}, { additionalProperties: false });

export const DuplicateCandidates = Type.Array(Type.Object({
  id: Type.String(), trackingNo: Type.String(), title: Type.String(), state: Type.String(), createdAt: Type.String(),
  similarity: Type.Number({ description: '0..1, character-bigram Dice coefficient' }),
}));

export const CommandAccepted = Type.Object({
  commandId: Type.String(),
  petitionId: Type.String(),
  trackingNo: Type.Optional(Type.String()),
  status: literalUnion(['applied', 'ignored', 'pending'], 'pending: recorded, not yet applied; poll GET /commands/{id}'),
  state: Type.Optional(Type.String({ description: 'Petition state after the command' })),
  leadUnit: Type.Optional(Type.Union([Type.Null(), Type.Object({ id: Type.String(), name: Type.String() })])),
  duplicateCandidates: Type.Optional(DuplicateCandidates),
});

export const PetitionParams = Type.Object({ id: Uuid('Petition id') });

export const RejectBody = Type.Object({ reason: Text(500, '不予受理 reason') }, { additionalProperties: false });
export const DispatchBody = Type.Object({
  leadUnitId: Uuid('Lead unit (牵头单位)'),
  coUnitIds: Type.Optional(Type.Array(Uuid(), { maxItems: 10, uniqueItems: true })),
  slaClass: Type.Optional(literalUnion(URGENCIES, 'Time limit class; defaults to the petition urgency')),
}, { additionalProperties: false });
export const EmptyBody = Type.Object({}, { additionalProperties: false, description: 'No fields; the body may be omitted' });
export const CompleteBody = Type.Object({
  result: Text(5000, '办结 result text shown to the resident'),
  resolved: Type.Boolean(),
}, { additionalProperties: false });
export const RateBody = Type.Object({
  satisfaction: literalUnion(SATISFACTION, 'The resident\'s rating'),
  resolved: Type.Boolean({ description: 'Does the resident consider the problem resolved' }),
}, { additionalProperties: false });

const Reason = (description: string) => Type.Object({ reason: Text(500, description) }, { additionalProperties: false });
export const ReturnBody = Reason('退单 reason: why this unit is not the right one');
export const WithdrawBody = Reason('撤诉 reason, as the resident gave it');
export const SendBackBody = Reason('Why the quality review sends the work back');
export const SuspensionRequestBody = Reason('挂起 reason, e.g. waiting for a court ruling');
export const AnswerBody = Type.Object({ answer: Text(5000, 'The answer given to the inquiry') }, { additionalProperties: false });
export const MergeBody = Type.Object({ originalId: Uuid('The petition this one duplicates') }, { additionalProperties: false });
export const RedispatchBody = Type.Object({
  leadUnitId: Uuid('New lead unit'),
  coUnitIds: Type.Optional(Type.Array(Uuid(), { maxItems: 10, uniqueItems: true })),
  slaClass: Type.Optional(literalUnion(URGENCIES, 'Time limit class; defaults to the petition urgency')),
  reason: Text(500, 'Why the petition moves'),
}, { additionalProperties: false });
export const NoteBody = Type.Object({
  text: Text(5000, 'Progress note'),
  visibility: literalUnion(['public', 'internal'] as const, 'public notes appear on the resident\'s timeline'),
}, { additionalProperties: false });
export const OpinionBody = Type.Object({ opinion: Text(5000, '配合单位意见') }, { additionalProperties: false });
export const ExtensionRequestBody = Type.Object({
  days: Type.Integer({ minimum: 1, maximum: 30, description: 'Days to add to the handling deadline' }),
  reason: Text(500, '延期 reason'),
}, { additionalProperties: false });
export const DecisionBody = Type.Object({
  approve: Type.Boolean(),
  comment: Type.Optional(Text(500)),
}, { additionalProperties: false });
export const DuplicateCheckBody = Type.Object({
  categoryId: Uuid(), districtId: Uuid(), streetId: Type.Optional(Uuid()),
  title: Text(100), content: Text(5000),
}, { additionalProperties: false });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Repeat a request safely: the same key returns the first result' })),
});

/** 受理编号: the registration date (YYYYMMDD) and a sequence number, 16 to 20 digits. */
export const TrackingNumber = () => Type.String({ pattern: '^[0-9]{16,20}$', description: '受理编号 Tracking number', 'x-hint': 'a tracking number: 16 to 20 digits' });
