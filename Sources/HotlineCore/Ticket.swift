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
  // Storage is compact because analyses hold millions of tickets: optional
  // times and counts use a sentinel instead of an optional's extra byte (and
  // its padding), a caller key in the importer's form (32 lowercase hex
  // digits) is kept as its 16 bytes instead of a heap string, the one-byte
  // fields sit together, and the fields most tickets leave empty share one
  // optional reference. The public properties are unchanged.

  /// The ticket id exactly as exported (工单编号).
  public var id: String
  /// 来电时间 / 受理时间: when the request was received (epoch seconds).
  public var receivedAt: Int64
  private var dispatchedTime: Int64
  private var deadlineTime: Int64
  private var closedTime: Int64
  @usableFromInline internal var callerDigest: (UInt64, UInt64)
  /// Masked caller number for display (138****1234).
  public var callerMask: String?
  /// 诉求渠道 as given (电话, 网站, 微信, APP ...).
  public var channel: String?
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
  private var lon: Double
  private var lat: Double
  /// 承办单位: the handling department(s), in order.
  public var departments: [String]
  /// 办理状态 / 工单状态 as given.
  public var status: String?
  /// 满意度 exactly as given (the definition of 满意率 differs by city).
  public var satisfaction: String?
  private var rare: Rare?
  private var transfers: Int32
  /// 诉求类型, normalised.
  public var kind: TicketKind?
  /// The coordinate system the export used for `location` (before conversion).
  public var sourceCRS: CoordinateSystem?
  /// 是否解决, normalised.
  public var resolution: Resolution?
  @usableFromInline internal var callerForm: CallerForm

  /// The fields most tickets leave empty, behind one reference (immutable:
  /// a change makes a new one, so copies of a ticket never share a change).
  private final class Rare: Sendable {
    let contactKey: String?
    let parentId: String?
    let raw: RawRecord
    /// A caller key not in the compact form.
    let callerKey: String?
    init(contactKey: String?, parentId: String?, raw: RawRecord, callerKey: String?) {
      self.contactKey = contactKey
      self.parentId = parentId
      self.raw = raw
      self.callerKey = callerKey
    }
  }

  @usableFromInline internal enum CallerForm: UInt8, Sendable { case none, digest, string }

  /// The stored value of an absent time.
  private static let noTime = Int64.min
  /// The stored value of an absent transfer count.
  private static let noCount = Int32.min
  /// The stored longitude of an absent location (a NaN no arithmetic produces).
  private static let noCoordinate = Double(bitPattern: 0x7FF4_D1C0_0000_0001)

  /// 派单时间: when it was dispatched to a department.
  public var dispatchedAt: Int64? {
    get { dispatchedTime == Ticket.noTime ? nil : dispatchedTime }
    set { dispatchedTime = newValue ?? Ticket.noTime }
  }
  /// 办理时限 / 办理截止时间.
  public var deadlineAt: Int64? {
    get { deadlineTime == Ticket.noTime ? nil : deadlineTime }
    set { deadlineTime = newValue ?? Ticket.noTime }
  }
  /// 办结时间.
  public var closedAt: Int64? {
    get { closedTime == Ticket.noTime ? nil : closedTime }
    set { closedTime = newValue ?? Ticket.noTime }
  }

  /// Keyed hash of the caller's normalised phone number (hex).
  public var callerKey: String? {
    get {
      switch callerForm {
      case .none: return nil
      case .digest: return Ticket.hex(callerDigest)
      case .string: return rare?.callerKey
      }
    }
    set {
      callerDigest = (0, 0)
      if let newValue, let d = Ticket.digest(newValue) {
        callerForm = .digest
        callerDigest = d
        if rare?.callerKey != nil { setRare(callerKey: .some(nil)) }
      } else {
        callerForm = newValue == nil ? .none : .string
        if newValue != nil || rare?.callerKey != nil { setRare(callerKey: .some(newValue)) }
      }
    }
  }

  /// The caller key's 16 bytes (its 32 hex digits, first and last 16 as two
  /// big-endian halves) when the key is in the importer's form; nil when
  /// there is no key or it has another form (read `callerKey` then).
  /// Builds no string: for grouping millions of tickets by caller.
  @inlinable public var callerKeyBytes: (UInt64, UInt64)? { callerForm == .digest ? callerDigest : nil }

  /// `callerKeyBytes` of every ticket, read in place (a getter called on an
  /// element from another module copies the whole ticket first).
  public static func callerKeyBytes(of tickets: [Ticket]) -> [(UInt64, UInt64)?] {
    tickets.withUnsafeBufferPointer { tp in
      (0..<tp.count).map { tp[$0].callerForm == .digest ? tp[$0].callerDigest : nil }
    }
  }

  /// `callerKeyBytes` of `tickets[range]`, written to `out` (from its
  /// start), read in place; returns the indices in `range` whose caller key
  /// has another form than the importer's (`callerKeyBytes` nil,
  /// `callerKey` set). For filling one array on several threads.
  public static func callerKeyBytes(
    of tickets: [Ticket], _ range: Range<Int>, into out: UnsafeMutableBufferPointer<(UInt64, UInt64)?>
  ) -> [Int] {
    precondition(range.count <= out.count)
    var other: [Int] = []
    tickets.withUnsafeBufferPointer { tp in
      for i in range {
        switch tp[i].callerForm {
        case .digest: out[i - range.lowerBound] = tp[i].callerDigest
        case .string:
          out[i - range.lowerBound] = nil
          other.append(i)
        case .none: out[i - range.lowerBound] = nil
        }
      }
    }
    return other
  }

  /// Keyed hash of a contact number that differs from the calling number.
  public var contactKey: String? {
    get { rare?.contactKey }
    set { setRare(contactKey: .some(newValue)) }
  }

  /// Location converted to WGS-84 for analysis.
  public var location: Coordinate? {
    get { lon.bitPattern == Ticket.noCoordinate.bitPattern ? nil : Coordinate(lon: lon, lat: lat) }
    set {
      lon = newValue?.lon ?? Ticket.noCoordinate
      lat = newValue?.lat ?? 0
    }
  }

  /// 转办次数 (at most `Int32.max`).
  public var transferCount: Int? {
    get { transfers == Ticket.noCount ? nil : Int(transfers) }
    set { transfers = newValue.map { Int32(clamping: max($0, Int(Int32.min) + 1)) } ?? Ticket.noCount }
  }

  /// 关联工单 / 原工单编号: a parent or linked ticket id.
  public var parentId: String? {
    get { rare?.parentId }
    set { setRare(parentId: .some(newValue)) }
  }

  /// The source row for audit (column names and values in file order), with
  /// PII masked.
  public var raw: RawRecord {
    get { rare?.raw ?? RawRecord() }
    set { setRare(raw: newValue) }
  }

  /// Replaces the rarely set fields (`nil` for all absent).
  private mutating func setRare(
    contactKey: String?? = .none, parentId: String?? = .none, raw: RawRecord? = nil, callerKey: String?? = .none
  ) {
    let c = contactKey ?? rare?.contactKey
    let p = parentId ?? rare?.parentId
    let r = raw ?? rare?.raw ?? RawRecord()
    let k = callerKey ?? rare?.callerKey
    if c == nil && p == nil && k == nil && r.columns.isEmpty && r.values.isEmpty {
      rare = nil
    } else {
      rare = Rare(contactKey: c, parentId: p, raw: r, callerKey: k)
    }
  }

  /// The 16 bytes of a key of exactly 32 lowercase hex digits.
  private static func digest(_ s: String) -> (UInt64, UInt64)? {
    var s = s
    return s.withUTF8 { b -> (UInt64, UInt64)? in
      guard b.count == 32 else { return nil }
      var hi: UInt64 = 0
      var lo: UInt64 = 0
      for i in 0..<32 {
        let c = b[i]
        let v: UInt64
        switch c {
        case 0x30...0x39: v = UInt64(c - 0x30)
        case 0x61...0x66: v = UInt64(c - 0x61 + 10)
        default: return nil
        }
        if i < 16 { hi = hi << 4 | v } else { lo = lo << 4 | v }
      }
      return (hi, lo)
    }
  }

  private static func hex(_ d: (UInt64, UInt64)) -> String {
    String(unsafeUninitializedCapacity: 32) { out in
      let digits: StaticString = "0123456789abcdef"
      let p = digits.utf8Start
      for i in 0..<16 {
        out[i] = p[Int((d.0 >> UInt64(60 - 4 * i)) & 15)]
        out[16 + i] = p[Int((d.1 >> UInt64(60 - 4 * i)) & 15)]
      }
      return 32
    }
  }

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
    self.dispatchedTime = Ticket.noTime
    self.deadlineTime = Ticket.noTime
    self.closedTime = Ticket.noTime
    self.callerDigest = (0, 0)
    self.callerMask = callerMask
    self.channel = channel
    self.kind = kind
    self.category = category
    self.title = title
    self.text = text
    self.district = district
    self.street = street
    self.community = community
    self.address = address
    self.lon = Ticket.noCoordinate
    self.lat = 0
    self.sourceCRS = sourceCRS
    self.departments = departments
    self.transfers = Ticket.noCount
    self.status = status
    self.resolution = resolution
    self.satisfaction = satisfaction
    self.rare = nil
    self.callerForm = .none
    self.dispatchedAt = dispatchedAt
    self.deadlineAt = deadlineAt
    self.closedAt = closedAt
    self.location = location
    self.transferCount = transferCount
    if contactKey != nil || parentId != nil || !raw.columns.isEmpty || !raw.values.isEmpty {
      setRare(contactKey: .some(contactKey), parentId: .some(parentId), raw: raw)
    }
    self.callerKey = callerKey
  }

  // Equality, hashing and coding are those of the public fields (as the
  // synthesised ones were before the storage was made compact).

  public static func == (a: Ticket, b: Ticket) -> Bool {
    a.id == b.id && a.receivedAt == b.receivedAt && a.dispatchedAt == b.dispatchedAt
      && a.deadlineAt == b.deadlineAt && a.closedAt == b.closedAt && a.callerKey == b.callerKey
      && a.callerMask == b.callerMask && a.contactKey == b.contactKey && a.channel == b.channel
      && a.kind == b.kind && a.category == b.category && a.title == b.title && a.text == b.text
      && a.district == b.district && a.street == b.street && a.community == b.community
      && a.address == b.address && a.location == b.location && a.sourceCRS == b.sourceCRS
      && a.departments == b.departments && a.transferCount == b.transferCount && a.status == b.status
      && a.resolution == b.resolution && a.satisfaction == b.satisfaction && a.parentId == b.parentId
      && a.raw == b.raw
  }

  public func hash(into h: inout Hasher) {
    h.combine(id)
    h.combine(receivedAt)
    h.combine(dispatchedAt)
    h.combine(deadlineAt)
    h.combine(closedAt)
    h.combine(callerKey)
    h.combine(callerMask)
    h.combine(contactKey)
    h.combine(channel)
    h.combine(kind)
    h.combine(category)
    h.combine(title)
    h.combine(text)
    h.combine(district)
    h.combine(street)
    h.combine(community)
    h.combine(address)
    h.combine(location)
    h.combine(sourceCRS)
    h.combine(departments)
    h.combine(transferCount)
    h.combine(status)
    h.combine(resolution)
    h.combine(satisfaction)
    h.combine(parentId)
    h.combine(raw)
  }

  private enum CodingKeys: String, CodingKey {
    case id, receivedAt, dispatchedAt, deadlineAt, closedAt, callerKey, callerMask, contactKey, channel, kind
    case category, title, text, district, street, community, address, location, sourceCRS, departments
    case transferCount, status, resolution, satisfaction, parentId, raw
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      id: try c.decode(String.self, forKey: .id), receivedAt: try c.decode(Int64.self, forKey: .receivedAt),
      dispatchedAt: try c.decodeIfPresent(Int64.self, forKey: .dispatchedAt),
      deadlineAt: try c.decodeIfPresent(Int64.self, forKey: .deadlineAt),
      closedAt: try c.decodeIfPresent(Int64.self, forKey: .closedAt),
      callerKey: try c.decodeIfPresent(String.self, forKey: .callerKey),
      callerMask: try c.decodeIfPresent(String.self, forKey: .callerMask),
      contactKey: try c.decodeIfPresent(String.self, forKey: .contactKey),
      channel: try c.decodeIfPresent(String.self, forKey: .channel),
      kind: try c.decodeIfPresent(TicketKind.self, forKey: .kind),
      category: try c.decode([String].self, forKey: .category),
      title: try c.decodeIfPresent(String.self, forKey: .title), text: try c.decode(String.self, forKey: .text),
      district: try c.decodeIfPresent(String.self, forKey: .district),
      street: try c.decodeIfPresent(String.self, forKey: .street),
      community: try c.decodeIfPresent(String.self, forKey: .community),
      address: try c.decodeIfPresent(String.self, forKey: .address),
      location: try c.decodeIfPresent(Coordinate.self, forKey: .location),
      sourceCRS: try c.decodeIfPresent(CoordinateSystem.self, forKey: .sourceCRS),
      departments: try c.decode([String].self, forKey: .departments),
      transferCount: try c.decodeIfPresent(Int.self, forKey: .transferCount),
      status: try c.decodeIfPresent(String.self, forKey: .status),
      resolution: try c.decodeIfPresent(Resolution.self, forKey: .resolution),
      satisfaction: try c.decodeIfPresent(String.self, forKey: .satisfaction),
      parentId: try c.decodeIfPresent(String.self, forKey: .parentId),
      raw: try c.decode(RawRecord.self, forKey: .raw))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(receivedAt, forKey: .receivedAt)
    try c.encodeIfPresent(dispatchedAt, forKey: .dispatchedAt)
    try c.encodeIfPresent(deadlineAt, forKey: .deadlineAt)
    try c.encodeIfPresent(closedAt, forKey: .closedAt)
    try c.encodeIfPresent(callerKey, forKey: .callerKey)
    try c.encodeIfPresent(callerMask, forKey: .callerMask)
    try c.encodeIfPresent(contactKey, forKey: .contactKey)
    try c.encodeIfPresent(channel, forKey: .channel)
    try c.encodeIfPresent(kind, forKey: .kind)
    try c.encode(category, forKey: .category)
    try c.encodeIfPresent(title, forKey: .title)
    try c.encode(text, forKey: .text)
    try c.encodeIfPresent(district, forKey: .district)
    try c.encodeIfPresent(street, forKey: .street)
    try c.encodeIfPresent(community, forKey: .community)
    try c.encodeIfPresent(address, forKey: .address)
    try c.encodeIfPresent(location, forKey: .location)
    try c.encodeIfPresent(sourceCRS, forKey: .sourceCRS)
    try c.encode(departments, forKey: .departments)
    try c.encodeIfPresent(transferCount, forKey: .transferCount)
    try c.encodeIfPresent(status, forKey: .status)
    try c.encodeIfPresent(resolution, forKey: .resolution)
    try c.encodeIfPresent(satisfaction, forKey: .satisfaction)
    try c.encodeIfPresent(parentId, forKey: .parentId)
    try c.encode(raw, forKey: .raw)
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
