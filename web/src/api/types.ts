// Types of the JSON API under /api/v1 (api/openapi.yaml). Field names are
// the API's own snake_case so that an error's `field` names a form prop.
// The schemas of api/openapi.yaml are generated into schema.d.ts
// (npm run gen:api; CI fails when it is stale); the types below take them
// where the document describes them fully, and add what the console uses
// beyond it.
import type { components } from './schema'

type Schema<K extends keyof components['schemas']> = components['schemas'][K]

export type Role = 'resident' | 'intake' | 'dispatcher' | 'handler' | 'reporter' | 'supervisor' | 'leader' | 'admin'

export type Status =
  | 'received' | 'answered' | 'refused' | 'merged' | 'dispatched' | 'signed' | 'handling' | 'returned'
  | 'extension_requested' | 'termination_requested' | 'terminated' | 'replied' | 'reviewed' | 'rated' | 'unreachable' | 'archived'
  | 'split'

export type Command =
  | 'answer' | 'refuse' | 'merge' | 'dispatch' | 'sign' | 'return' | 'arbitrate' | 'recall' | 'contact' | 'note'
  | 'request_extension' | 'decide_extension' | 'request_termination' | 'decide_termination'
  | 'reply' | 'review' | 'rate' | 'archive' | 'split' | 'pass_down' | 'assign'

export interface User {
  id: number
  username: string
  name: string
  unit_id: string
  roles: Role[]
  kind?: 'staff' | 'resident' | 'channel'
  disabled_at?: string
  /** receives the notices for the user's unit or role (optional) */
  phone?: string
  role_names: string[]
  created_at?: string
}

/** Scope is one thing an API token may do. */
export type Scope = 'intake' | 'read' | 'open311'

/** APIToken is an issued channel token as listed (GET /tokens); never the token itself. */
export interface APIToken {
  id: number
  name: string
  channel: string
  /** the token's first characters, to recognise it */
  prefix: string
  scopes: Scope[]
  /** the channel's principal the token acts as */
  user_id: number
  created_by?: number
  created_at: string
  expires_at?: string
  revoked_at?: string
  last_used_at?: string
}

export type UnitKind = 'centre' | 'street' | 'community' | 'department' | 'enterprise'

export type Unit = Schema<'Unit'>

/** a version of the SLA table (时限配置); it applies to appeals received from effective_at on */
export type SLAVersion = Schema<'SLAVersion'>

/** one year of the working-day calendar; confirmed when a notice was imported */
export type CalendarYear = Schema<'CalendarYear'>

export type CalendarDay = Schema<'CalendarDay'>

export type Assignment = Schema<'Assignment'>

export interface Rating {
  satisfaction: string
  speed: number
  effect: number
  experience: number
  reply_quality: number
  comment?: string
}

export type Attachment = Schema<'Attachment'>

export interface Appeal {
  id: number
  code: string
  type: string
  urgency: string
  channel: string
  title: string
  content: string
  address: string
  point?: { lng: number; lat: number }
  contact_name: string
  contact_phone: string
  confidential: boolean
  status: Status
  status_name: string
  version: number
  assignments: Assignment[] | null
  attachments: Attachment[] | null
  /** Files supplements and replies added, with the size and type recorded at upload. */
  added_attachments?: Attachment[]
  designated: boolean
  redo_count: number
  merged_into?: number
  result_class?: string
  rating?: Rating
  received_at: string
  updated_at: string
  contacted_at?: string
  due_at?: string
  /** working time left or overdue on the jurisdiction calendar, e.g. 剩余 1 个工作日 3 小时 */
  due_label?: string
  /** In lists: the appeal's most urgent running clock (the dispatch clock of one not yet dispatched). */
  clock?: { stage: string; stage_name: string; state: 'open' | 'yellow' | 'red'; due_at: string; label: string }
  original_due_at?: string
  triage?: Triage
  /** On a part of a split appeal (拆分子单): the appeal it was split from. */
  parent_id?: number
  /** The handler the lead unit assigned the order to (指派处理人). */
  assignee_id?: number
  /** GET /appeals/{id} of a split appeal: its parts. */
  parts?: Part[]
  /** unanswered callbacks (回访未接通) of the current round, and when the last was made */
  callback_attempts?: number
  callback_at?: string
  /** the 《民心桥》 broadcast answer, recorded by the centre */
  on_air?: OnAir
}

/** Part is a part of a split appeal with its progress. */
export type Part = Schema<'Part'>

/** SplitPart is one part of a split as the dispatcher enters it. */
export type SplitPart = Schema<'SplitPart'>

/** Colleague is a handler of the caller's unit (GET /me/colleagues). */
export interface Colleague {
  id: number
  name: string
}

/** OnAir is what was said on air about an appeal of the 《民心桥》 programme. */
export type OnAir = Schema<'OnAir'>

/** OnAirItem is one appeal of a published channel's public list. */
export interface OnAirItem {
  code: string
  title: string
  status: Status
  status_name: string
  received_at: string
  on_air?: OnAir
}

/** Suggestion is one routing the dispatch catalogue proposes (GET /appeals/{id}/suggestions). */
export type Suggestion = Schema<'Suggestion'>

/** Triage is what intake worked out: category, place, routings and look-alike open appeals. */
export type Triage = Schema<'Triage'>

export interface AppealList {
  items: Appeal[]
  total: number
  /** a search by words counts at most 1,000 matches: true when there are more (total is then 1000) */
  total_capped?: boolean
}

export interface AppealEvent {
  id: number
  chain: string
  seq: number
  appeal_id?: number
  kind: string
  actor_id?: number
  /** who acted, as people know them: a staff name, 诉求人, a channel, 系统 */
  actor: string
  actor_kind: 'system' | 'staff' | 'resident' | 'channel'
  unit_id?: string
  from_status?: Status
  to_status?: Status
  note?: string
  data?: string
  at: string
  prev_hash: string
  hash: string
}

export interface EventList {
  items: AppealEvent[]
  chain_verified: boolean
}

export interface Transition {
  name: string
  from: Status[] | null
  to: Status[] | null
  roles: Role[]
}

export interface Meta {
  types: string[]
  urgencies: string[]
  channels: string[]
  statuses: { code: Status; name: string }[]
  refuse_reasons: string[]
  return_reasons: string[]
  result_classes: string[]
  satisfactions: string[]
  roles: Record<Role, string>
  transitions: Record<string, Transition>
}

export interface TrackStep {
  at: string
  title: string
  unit?: string
  text?: string
}

export interface Tracking {
  code: string
  type: string
  title: string
  status: Status
  status_name: string
  received_at: string
  due_at?: string
  can_rate: boolean
  rate_proof?: string
  steps: TrackStep[]
  /** A split appeal's parts, each tracked under its own code. */
  parts?: Part[]
  /** On a part: the code of the appeal it was split from. */
  part_of?: string
}

export interface Intake {
  type: string
  urgency: string
  channel: string
  title?: string
  content: string
  address: string
  contact_name: string
  contact_phone: string
  confidential: boolean
}

/** Action is the body of every lifecycle command (POST /appeals/{id}/{command}). */
export interface Action {
  version?: number
  note?: string
  reason?: string
  lead_unit_id?: string
  assist_unit_ids?: string[]
  target_code?: string
  decision?: string
  due_at?: string
  method?: string
  result_class?: string
  rating?: Rating
  /** the 知识库 article a direct answer is given from */
  article_id?: number
  /** split: the parts (2–10). */
  parts?: SplitPart[]
  /** assign: the handler of the same unit. */
  assignee_id?: number
  /** rate: 已回访 (with rating) or 未接通 */
  outcome?: '已回访' | '未接通'
}

/** An in-console notice (站内通知, GET /notifications and the stream). */
export type InboxItem = Schema<'InboxItem'>

/** A 知识库 article for direct answers (GET /knowledge). */
export type Article = Schema<'Article'>
export type ArticleInput = Schema<'ArticleInput'>
/** An article matching what the intake agent typed, with the keywords it matched. */
export type ArticleSuggestion = Schema<'ArticleSuggestion'>
/** 直接答复率 of a period: answered ÷ received. */
export type DirectAnswerStats = Schema<'DirectAnswerStats'>

export type DeadlineState = 'open' | 'yellow' | 'red' | 'done'

/** Deadline is one stage's clock on an appeal (GET /appeals/{id}/deadlines, GET /board). */
export interface Deadline {
  id: number
  appeal_id: number
  stage: string
  unit_id: string
  state: DeadlineState
  start_at: string
  warn_at: string
  due_at: string
  original_due_at?: string
  next_at?: string
  escalations: number
  done_at?: string
  appeal_code?: string
  appeal_title?: string
}

export interface Board {
  counts: { unit_id: string; stage: string; state: DeadlineState; count: number }[]
  items: Deadline[]
  stage_names: Record<string, string>
}

/** FlagProgress is one progress entry of a 挂牌督办. */
export interface FlagProgress {
  id: number
  flag_id: number
  note: string
  created_by: number
  author: string
  created_at: string
}

/** Flag is a 挂牌督办 (POST /appeals/{id}/flags, GET /flags). */
export interface Flag {
  id: number
  appeal_id: number
  appeal_code?: string
  title: string
  reason: string
  supervising_unit: string
  due_at: string
  public: boolean
  created_by: number
  created_at: string
  closed_at?: string
  closed_note?: string
  progress: FlagProgress[] | null
}

/** WhistleCall is one summoned department of a 吹哨. */
export interface WhistleCall {
  unit_id: string
  due_at: string
  reported_at?: string
  rating?: number
  rating_note?: string
  rated_at?: string
}

/** Whistle is a 吹哨报到 (POST/GET /appeals/{id}/whistles). */
export interface Whistle {
  id: number
  appeal_id: number
  appeal_code?: string
  unit_id: string
  reason: string
  created_by: number
  created_at: string
  calls: WhistleCall[] | null
}

/** WhistleStat is one unit's figures (GET /whistles/stats). */
export interface WhistleStat {
  unit_id: string
  summoned: number
  reported_on_time: number
  reported_late: number
  not_reported: number
  rated: number
  avg_rating: number
  blown: number
  ratings_given: number
}

/** Channel is an intake channel in the registry (GET /channels). */
export interface Channel {
  name: string
  kind: string
  rate_per_minute: number
  default_type?: string
  default_urgency?: string
  publish: boolean
  created_at?: string
}

export interface ChannelStat {
  channel: string
  appeals: number
  share: number
  duplicates: number
}

export interface ReporterStat {
  user_id: number
  username: string
  name: string
  unit_id: string
  reports: number
  confirmed: number
  points: number
}

/** CatalogueRule is one line of the dispatch catalogue (派单目录). */
export interface CatalogueRule {
  id: string
  category: string
  place?: string
  object?: string
  lead: string
  assists?: string[]
  urgency?: string
  legal_basis?: string
  priority?: number
  community_duty?: boolean
}

export interface Catalogue {
  version: number
  note?: string
  rules: CatalogueRule[]
}

export interface Stats {
  by_status: Record<string, number>
  from?: string
  to?: string
  by_type?: Record<string, number>
  by_channel?: Record<string, number>
  by_community?: Record<string, number>
  by_day?: { date: string; received: number; closed: number }[]
  direct_answers?: DirectAnswerStats
  ratings?: {
    all: RatingCounts
    first: RatingCounts
    final: RatingCounts
    satisfaction_rate: number
    first_rate: number
    final_rate: number
    definition: string
  }
}

/** Valid callbacks (有效回访) by satisfaction. */
export interface RatingCounts {
  valid: number
  satisfied: number
  basic_satisfied: number
  unsatisfied: number
}

/** AuditReport is the full audit (GET /audit/verify): chains against their heads, rows against their events, the newest checkpoint. */
export interface AuditReport {
  ok: boolean
  chains: number
  events: number
  appeals: number
  /** The first problems, one Chinese line each; total counts them all. */
  problems: string[]
  total: number
  /** The newest checkpoint's signature was checked and holds. */
  signed: boolean
  /** The server has no audit key, so no signature could be checked. */
  keyless: boolean
  checkpoint_at?: string
}

/** BatchResponse is the answer of POST /batch/{command}: every appeal in order, done or refused. */
export interface BatchResponse {
  results: { id: number; ok: boolean; appeal?: Appeal; error?: { code: string; message: string; field?: string } }[]
  done: number
  failed: number
}

/** What an import did or, dry, would do (POST /imports/appeals). */
export type ImportReport = Schema<'ImportReport'>
/** A row an import could not take, and why. */
export type RowError = Schema<'RowError'>
