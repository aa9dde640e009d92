/// Header matching: built-in synonyms for Chinese and English export headers.
///
/// Headers are compared after `HeaderName.normalize`: BOM and whitespace
/// removed, full-width ASCII folded to half-width, lower-cased, and every
/// character that is not a letter or digit (spaces, `_`, `-`, `/`, brackets)
/// dropped. So `Unique Key`, `unique_key` and `UNIQUE KEY` all read `uniquekey`,
/// and `社区/村`, `社区（村）` read `社区村`.
enum HeaderName {
  static func normalize(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    for var u in s.unicodeScalars {
      if u.value == 0xFEFF { continue }
      if u.value >= 0xFF01 && u.value <= 0xFF5E { u = Unicode.Scalar(u.value - 0xFEE0)! }
      if u.value == 0x3000 { continue }
      if u.value < 0x80 {
        let v = UInt8(u.value)
        switch v {
        case 0x30...0x39, 0x61...0x7A: out.append(u)
        case 0x41...0x5A: out.append(Unicode.Scalar(v + 32))
        default: continue
        }
      } else if u.properties.isAlphabetic || u.properties.numericType != nil {
        out.append(u)
      }
    }
    return String(out)
  }
}

enum Synonyms {
  /// Generic table (Chinese + English), in field order. Keys must already be normalised.
  static let generic: [(CanonicalField, [String])] = [
    (
      .id,
      [
        "工单编号", "单号", "受理编号", "信件编号", "留言编号", "工单号", "工单id", "编号", "ticketid", "id",
        "ticketno", "ticketnumber", "caseid", "caseno", "requestid", "servicerequestid", "uniquekey",
      ]
    ),
    (
      .receivedAt,
      [
        "来电时间", "受理时间", "登记时间", "留言时间", "创建时间", "反映时间", "提交时间", "来信时间", "诉求时间",
        "createdat", "createddate", "createtime", "created", "receivedat", "requestedat",
        "requesteddatetime", "reportedat", "opendate",
      ]
    ),
    (.dispatchedAt, ["派单时间", "分派时间", "交办时间", "首次转办时间", "转办时间", "dispatchedat", "dispatchtime"]),
    (
      .deadlineAt,
      ["办理时限", "办理截止时间", "办结期限", "截止时间", "deadline", "deadlineat", "duedate", "expecteddatetime"]
    ),
    (.closedAt, ["办结时间", "办结日期", "结案时间", "完成时间", "closedat", "closeddate", "closedtime", "resolvedat"]),
    (
      .callerPhone,
      [
        "来电号码", "诉求人电话", "来电人电话", "来电人电话账号", "手机号码", "手机号", "留言用户", "主叫号码", "来电电话",
        "callerphone", "phone", "phonenumber", "caller", "callernumber", "mobile",
      ]
    ),
    (.contactPhone, ["联系电话", "联系方式", "联系号码", "contactphone", "contactnumber"]),
    (
      .channel,
      ["诉求渠道", "受理渠道", "来源", "诉求来源", "数据来源", "渠道", "channel", "source", "opendatachanneltype"]
    ),
    (.kind, ["诉求类型", "工单类型", "来电类别", "诉求性质", "类型", "kind", "requesttype", "tickettype"]),
    (
      .category,
      ["问题分类", "诉求分类", "事项分类", "归口类型", "诉求归口", "分类", "业务分类", "category", "categorypath"]
    ),
    (.categoryL1, ["一级分类", "一级标签", "一级类别", "大类", "categoryl1", "category1", "level1"]),
    (.categoryL2, ["二级分类", "二级标签", "二级类别", "小类", "categoryl2", "category2", "level2"]),
    (.categoryL3, ["三级分类", "三级标签", "三级类别", "categoryl3", "category3", "level3"]),
    (.title, ["工单标题", "标题", "留言主题", "主题", "诉求标题", "title", "subject", "summary"]),
    (
      .text,
      [
        "诉求内容", "工单内容", "主要内容", "来电内容", "留言详情", "内容", "问题描述", "详细内容", "反映内容",
        "text", "content", "description", "details", "body",
      ]
    ),
    (.district, ["所属区县", "被反映区", "所属区域", "区县", "区", "所属区", "行政区", "district", "borough", "county"]),
    (
      .street,
      [
        "街道", "乡镇", "被反映街乡镇", "所属镇街", "镇街", "所属街道", "街乡镇", "街道乡镇", "street", "subdistrict",
        "town", "township",
      ]
    ),
    (.community, ["社区", "村居", "村", "村社区", "社区村", "所属社区", "community", "village", "neighborhood"]),
    (.address, ["详细地址", "事发地", "事件发生地", "地址", "事发地址", "发生地址", "address", "incidentaddress"]),
    (.lon, ["经度", "lon", "lng", "longitude", "long"]),
    (.lat, ["纬度", "lat", "latitude"]),
    (.location, ["坐标", "位置坐标", "location", "coordinates", "point"]),
    (.crs, ["坐标系", "坐标系统", "crs", "srid", "coordinatesystem"]),
    (
      .departments,
      [
        "承办单位", "主办单位", "责任单位", "处理部门", "办理单位", "承办部门", "department", "departments", "agency",
        "agencyresponsible",
      ]
    ),
    (.transferCount, ["转办次数", "transfercount", "transfers"]),
    (.status, ["工单状态", "办理状态", "状态", "处理状态", "status", "state"]),
    (.resolution, ["是否解决", "问题是否解决", "解决情况", "resolved", "resolution", "isresolved"]),
    (.satisfaction, ["满意度", "回访满意度", "是否满意", "满意情况", "satisfaction", "rating"]),
    (.parentId, ["关联工单", "原工单编号", "主单号", "旧工单编号", "父工单", "parentid", "parentticketid", "relatedid"]),
  ]

  /// NYC 311 open data (both header styles normalise to the same keys).
  static let nyc: [(CanonicalField, [String])] = [
    (.id, ["uniquekey"]),
    (.receivedAt, ["createddate"]),
    (.closedAt, ["closeddate"]),
    (.deadlineAt, ["duedate"]),
    (.departments, ["agency"]),
    (.category, ["complainttype", "descriptor"]),
    (.text, ["complainttype", "descriptor"]),
    (.district, ["borough"]),
    (.street, ["communityboard"]),
    (.community, ["incidentzip"]),
    (.address, ["incidentaddress"]),
    (.lat, ["latitude"]),
    (.lon, ["longitude"]),
    (.location, ["location"]),
    (.channel, ["opendatachanneltype"]),
    (.status, ["status"]),
  ]

  /// Open311 GeoReport v2.
  static let open311: [(CanonicalField, [String])] = [
    (.id, ["servicerequestid"]),
    (.receivedAt, ["requesteddatetime"]),
    (.closedAt, ["updateddatetime"]),  // only when status is closed (see README)
    (.deadlineAt, ["expecteddatetime"]),
    (.status, ["status"]),
    (.category, ["servicename"]),
    (.text, ["description"]),
    (.departments, ["agencyresponsible"]),
    (.address, ["address"]),
    (.lat, ["lat"]),
    (.lon, ["long"]),
    (.community, ["zipcode"]),
  ]

  static let genericLookup: [String: CanonicalField] = {
    var d: [String: CanonicalField] = [:]
    for (f, names) in generic { for n in names where d[n] == nil { d[n] = f } }
    return d
  }()

  static func isNYC(_ normalizedHeaders: Set<String>) -> Bool {
    normalizedHeaders.contains("uniquekey") && normalizedHeaders.contains("createddate")
      && normalizedHeaders.contains("complainttype")
  }

  static func isOpen311(_ normalizedHeaders: Set<String>) -> Bool {
    normalizedHeaders.contains("servicerequestid") && normalizedHeaders.contains("requesteddatetime")
  }
}
