import Foundation

/// One hotline ticket (工单) in the canonical model.
///
/// Every field of the canonical set that an export carries is kept; the rest
/// are `nil`. Times are whole seconds since the Unix epoch (UTC); naive export
/// times are read in the database's time zone (Asia/Shanghai by default).
///
/// Privacy: a `Ticket` never holds a raw phone number. `callerKey` is a keyed
/// hash (HMAC-SHA256 under the database's secret) of the normalised number,
/// `callerMask` its display form (138****1234), and `title`, `text` and every
/// value of `raw` have phone, ID and plate numbers masked.
public struct Ticket: Sendable, Hashable, Codable {
  /// The ticket id exactly as exported (工单编号).
  public var id: String
  /// 来电时间 / 受理时间: when the request was received (epoch seconds).
  public var receivedAt: Int64
  /// 派单时间: when it was dispatched to a department.
  public var dispatchedAt: Int64?
  /// 办理时限 / 办理截止时间.
  public var deadlineAt: Int64?
  /// 办结时间.
  public var closedAt: Int64?
  /// Keyed hash of the caller's normalised phone number (hex).
  public var callerKey: String?
  /// Masked caller number for display (138****1234).
  public var callerMask: String?
  /// Keyed hash of a contact number that differs from the calling number.
  public var contactKey: String?
  /// 诉求渠道 as given (电话, 网站, 微信, APP ...).
  public var channel: String?
  /// 诉求类型, normalised.
  public var kind: TicketKind?
  /// 问题分类 as a path of any depth, most general first.
  public var category: [String]
  /// 工单标题 (masked).
  public var title: String?
  /// 诉求内容 (masked).
  public var text: String
  /// 所属区县.
  public var district: String?
  /// 街道 / 乡镇.
  public var street: String?
  /// 社区 / 村.
  public var community: String?
  /// 详细地址 / 事发地 (masked).
  public var address: String?
  /// Location converted to WGS-84 for analysis.
  public var location: Coordinate?
  /// The coordinate system the export used for `location` (before conversion).
  public var sourceCRS: CoordinateSystem?
  /// 承办单位: the handling department(s), in order.
  public var departments: [String]
  /// 转办次数.
  public var transferCount: Int?
  /// 办理状态 / 工单状态 as given.
  public var status: String?
  /// 是否解决, normalised.
  public var resolution: Resolution?
  /// 满意度 exactly as given (the definition of 满意率 differs by city).
  public var satisfaction: String?
  /// 关联工单 / 原工单编号: a parent or linked ticket id.
  public var parentId: String?
  /// The source row for audit (column names and values in file order), with
  /// PII masked.
  public var raw: RawRecord

  public init(
    id: String, receivedAt: Int64, dispatchedAt: Int64? = nil, deadlineAt: Int64? = nil,
    closedAt: Int64? = nil, callerKey: String? = nil, callerMask: String? = nil,
    contactKey: String? = nil, channel: String? = nil, kind: TicketKind? = nil,
    category: [String] = [], title: String? = nil, text: String = "", district: String? = nil,
    street: String? = nil, community: String? = nil, address: String? = nil,
    location: Coordinate? = nil, sourceCRS: CoordinateSystem? = nil, departments: [String] = [],
    transferCount: Int? = nil, status: String? = nil, resolution: Resolution? = nil,
    satisfaction: String? = nil, parentId: String? = nil, raw: RawRecord = RawRecord()
  ) {
    self.id = id
    self.receivedAt = receivedAt
    self.dispatchedAt = dispatchedAt
    self.deadlineAt = deadlineAt
    self.closedAt = closedAt
    self.callerKey = callerKey
    self.callerMask = callerMask
    self.contactKey = contactKey
    self.channel = channel
    self.kind = kind
    self.category = category
    self.title = title
    self.text = text
    self.district = district
    self.street = street
    self.community = community
    self.address = address
    self.location = location
    self.sourceCRS = sourceCRS
    self.departments = departments
    self.transferCount = transferCount
    self.status = status
    self.resolution = resolution
    self.satisfaction = satisfaction
    self.parentId = parentId
    self.raw = raw
  }
}

/// 诉求类型: the nature of a request.
public enum TicketKind: String, Sendable, Hashable, Codable, CaseIterable {
  case consultation = "咨询"
  case help = "求助"
  case complaint = "投诉"
  case report = "举报"
  case suggestion = "建议"
  case praise = "表扬"
  case other = "其他"

  /// Reads the kinds seen in real exports (咨询类, 求决, 感谢, 意见建议, ...)
  /// and their English names. Unknown non-empty values become `.other`;
  /// empty values give `nil`.
  public init?(normalizing value: String) {
    let v = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    if v.isEmpty { return nil }
    if v.contains("咨询") || v == "consultation" || v == "inquiry" || v == "question" {
      self = .consultation
    } else if v.contains("求助") || v.contains("求决") || v == "help" || v == "request"
      || v == "service request"
    {
      self = .help
    } else if v.contains("举报") && !v.contains("投诉") || v.contains("揭发") || v == "report" {
      self = .report
    } else if v.contains("投诉") || v.contains("申诉") || v == "complaint" {
      self = .complaint
    } else if v.contains("建议") || v.contains("意见") || v == "suggestion" {
      self = .suggestion
    } else if v.contains("表扬") || v.contains("感谢") || v == "praise" || v == "compliment" {
      self = .praise
    } else {
      self = .other
    }
  }

  /// English label.
  public var english: String {
    switch self {
    case .consultation: "consultation"
    case .help: "help"
    case .complaint: "complaint"
    case .report: "report"
    case .suggestion: "suggestion"
    case .praise: "praise"
    case .other: "other"
    }
  }
}

/// 是否解决, normalised to three values.
public enum Resolution: String, Sendable, Hashable, Codable, CaseIterable {
  case resolved = "解决"
  case partial = "部分解决"
  case unresolved = "未解决"

  /// Reads 已解决 / 解决 / 是 / 部分解决 / 未解决 / 否 and English yes/no forms.
  public init?(normalizing value: String) {
    let v = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    if v.isEmpty { return nil }
    if v.contains("部分") || v == "partial" || v == "partially resolved" {
      self = .partial
    } else if v.contains("未") || v.contains("没") || v == "否" || v == "no" || v == "n"
      || v == "unresolved" || v == "false" || v == "0"
    {
      self = .unresolved
    } else if v.contains("解决") || v == "是" || v == "yes" || v == "y" || v == "resolved"
      || v == "true" || v == "1"
    {
      self = .resolved
    } else {
      return nil
    }
  }
}

extension Ticket {
  /// The category path joined as real exports write it (a->b->c).
  public var categoryPath: String { category.joined(separator: Ticket.categorySeparator) }

  /// The separator used when a category path is stored as one string.
  public static let categorySeparator = "->"

  /// Splits a category string of any depth (a->b->c, a/b/c, a＞b, a-b ...).
  public static func splitCategory(_ value: String) -> [String] {
    let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { return [] }
    for sep in ["->", "→", "＞", ">", " / ", "/", "|", "－"] where trimmed.contains(sep) {
      return trimmed.components(separatedBy: sep)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
    }
    return [trimmed]
  }
}
