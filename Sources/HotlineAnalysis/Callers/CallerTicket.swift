import HotlineCore

/// What the caller review keeps of one ticket: enough to count, time, group
/// by matter and judge outcomes, without the ticket's text (so that a
/// 3-million-ticket export fits in memory).
public struct CallerTicket: Sendable, Hashable {
  public var id: String
  public var receivedAt: Int64
  /// The category path joined with `->` (empty when the export has none).
  public var category: String
  public var title: String
  /// Community, else street, else district (empty when unknown).
  public var place: String
  public var resolution: Resolution?
  /// 满意度 says 不满意 (dissatisfied).
  public var dissatisfied: Bool
  /// Still open (no close time).
  public var open: Bool
  /// Re-handled or linked to an earlier ticket (重办 / 关联工单).
  public var parentId: String?
  /// The out-of-scope class, when flagged.
  public var scope: String?
  /// The text reads like an organisation reporting (网格员巡查发现,
  /// 物业工作人员反映, 社区工作人员来电 …).
  public var organisational: Bool

  public init(
    id: String, receivedAt: Int64, category: String = "", title: String = "", place: String = "",
    resolution: Resolution? = nil, dissatisfied: Bool = false, open: Bool = false, parentId: String? = nil,
    scope: String? = nil, organisational: Bool = false
  ) {
    self.id = id
    self.receivedAt = receivedAt
    self.category = category
    self.title = title
    self.place = place
    self.resolution = resolution
    self.dissatisfied = dissatisfied
    self.open = open
    self.parentId = parentId
    self.scope = scope
    self.organisational = organisational
  }

  /// Not settled: unresolved, partly resolved, or the caller is dissatisfied.
  public var unsettled: Bool {
    dissatisfied || resolution == .unresolved || resolution == .partial
  }

  /// Whether an outcome is known (a resolution or a satisfaction verdict).
  public var hasOutcome: Bool { resolution != nil || dissatisfied }
}

/// Recognises organisational wording: a grid worker, a property company or a
/// community worker reporting on behalf of residents.
public struct OrganisationWording: Sendable {
  private let automaton: KeywordAutomaton

  public static let phrases = [
    "网格员", "巡查发现", "社区工作人员", "居委会工作人员", "村委会工作人员", "物业工作人员", "物业公司工作人员", "服务有限公司工作人员",
    "工作人员来电", "工作人员反映", "楼长反映", "志愿者反映",
  ]

  public init(phrases: [String] = OrganisationWording.phrases) {
    automaton = KeywordAutomaton(phrases)
  }

  public func matches(_ text: String) -> Bool { !automaton.hits(in: text).isEmpty }
}

extension CallerTicket {
  /// The review's view of a ticket.
  public init(_ t: Ticket, scope: String?, organisational: Bool) {
    let place = t.community ?? t.street ?? t.district ?? ""
    let sat = t.satisfaction ?? ""
    self.init(
      id: t.id, receivedAt: t.receivedAt, category: t.categoryPath,
      title: (t.title?.isEmpty == false ? t.title! : String(t.text.prefix(40))), place: place,
      resolution: t.resolution, dissatisfied: sat.contains("不满意") || sat.lowercased() == "dissatisfied",
      open: t.closedAt == nil, parentId: t.parentId, scope: scope, organisational: organisational)
  }
}
