import HotlineAnalysis
import HotlineCore
import Testing

struct ScopeClassifierTests {
  let classifier = ScopeClassifier()

  func code(_ text: String, title: String = "") -> String? {
    classifier.classify(id: "t", title: title, text: text)?.code
  }

  @Test(arguments: [
    ("U01", "我老家在外省的一个县，那边小区停电好几天了，想请你们帮忙反映一下。"),
    ("U02", "我和装修公司的合同纠纷已经起诉了，法院一直不开庭，要求热线催一催。"),
    ("U02", "劳动争议仲裁裁决下来半年了，公司拒不履行，希望政府出面。"),
    ("U03", "宅基地的事我已经到信访局反映过三次，答复不满意，再来打12345。"),
    ("U04", "楼下邻居门上挂了八卦镜对着我家，要求社区强制拆掉。"),
    ("U04", "要求政府帮忙找到和我吵架后离开的情人。"),
    ("U05", "要求提供欠我钱那个老王的家庭住址，我要上门找他。"),
    ("U07", "十年前拆迁时已经签了协议拿了钱，现在房价涨了，要求再补偿二十万。"),
    ("U07", "我没有工作，希望政府给我安排一份工作，每个月至少五千。"),
    ("U08", "我退休后在物业公司当门卫，老板拖欠三个月工资，要求按劳动法处理。"),
    ("U09", "在直播平台给主播刷了礼物，和主播借钱不还，现在被拉黑了，要求帮我追回。"),
    ("U10", "商场地下停车场收费太高，一小时十五元，要求政府强制降价。"),
    ("U11", "之前反映的学区划分问题教育局已经明确答复了，但我仍不认可，要求重新派单。"),
    ("U12", "来电人无具体诉求，辱骂话务员后挂断。"),
    ("U13", "来电人称隔壁用仪器监视他，言语混乱，要求派人抓走邻居。"),
    // Typos of operators' notes, and a call-back number beside the request.
    ("U02", "我的借款纠纷法院以经判决了，对方就是不还钱，要求热线督促。"),
    ("U05", "要求提供欠款人张某的家庭住址，我的电话是138****0000。"),
  ])
  func flagsEachClass(expected: String, text: String) throws {
    let flag = try #require(classifier.classify(id: "x", title: "", text: text))
    #expect(flag.code == expected)
    #expect(!flag.evidence.isEmpty)
    #expect(flag.codes.first == expected)
    #expect(!flag.reason.isEmpty && !flag.reasonEnglish.isEmpty)
  }

  @Test(arguments: [
    // Courts and petition offices as landmarks.
    "区法院门口的人行道被小摊占满，行人只能走机动车道。",
    "信访局旁边的路灯坏了一个多月，晚上很黑。",
    "路过信访接待中心时发现下水道井盖缺失，很危险。",
    "幸福里(法院家属院)3号楼电梯经常停运。",
    // Asking how to use a procedure is in scope.
    "被公司辞退没有补偿，请问在哪里申请仲裁？",
    "请问如何起诉拖欠工资的老板？",
    // Pensions, public parking, medical care elsewhere, the holiday.
    "退休人员养老金什么时候调整，想咨询一下。",
    "路边停车位乱收费，收费员没有票据。",
    "异地就医备案怎么办理？",
    "情人节前后花店占道经营严重。",
    "外地车辆在小区里乱停，占用消防通道。",
    "老家属院的下水道堵了一个星期。",
    // An ordinary repeat about an unresolved problem.
    "之前已经反映过多次，至今没人处理，楼上漏水越来越严重。",
    // Words inside other words, threats and advice are not states.
    "工厂烟囱每天排放毒气，附近居民头晕。",
    "据知情人士透露，该工地夜间偷偷施工。",
    "如果教育局还不处理，我也会向法院起诉。",
    "劳动局说要我们去打官司，我们耗费不起。",
    "我在外地出差，家里小区的路灯坏了。",
    "出于顾虑，本人没有层层上访，借平台反映，请领导重视。",
    "寺里的假和尚看相算命骗游客的钱，请查处。",
    "这位干部给情人买房，请纪委调查。",
    // Words of a rule scattered over a long letter are not one matter.
    "我父亲已经退休，" + String(repeating: "小区路灯坏了很久没人修，", count: 6) + "隔壁工地打工的人说工资没发。",
  ])
  func leavesLegitimateRequestsAlone(text: String) {
    #expect(code(text) == nil, "flagged: \(text)")
  }

  @Test func landmarkDoesNotHideAProcedureElsewhere() {
    // The landmark covers only its own words: a real procedure still counts.
    let c = code("区法院门口的商铺欠我货款，官司已经判决了，对方拒不履行。")
    #expect(c == "U02")
  }

  @Test func typoVariantsReportTheRightWord() throws {
    let f = try #require(classifier.classify(id: "t", title: "", text: "交通事故赔偿案以经判决，要求热线介入。"))
    #expect(f.code == "U02")
    #expect(f.evidence.contains("已经判决"))
  }

  @Test func titlesCountAsEvidenceToo() {
    #expect(code("想问问能不能帮忙。", title: "外省问题反映") == "U01")
  }

  @Test func everyRuleNamesAKnownClass() {
    let codes = Set(classifier.book.classes.map(\.code))
    for r in classifier.book.rules { #expect(codes.contains(r.code)) }
    #expect(!codes.contains("U06") && !codes.contains("U14"))
  }
}

/// One pass for scope and organisational wording gives what the two
/// separate checks give.
struct ScopeScreenTests {
  let classifier = ScopeClassifier()
  let org = OrganisationWording()

  @Test(arguments: [
    ("", "我和装修公司的合同纠纷已经起诉了，法院一直不开庭。"),
    ("网格员巡查发现", "小区门口垃圾堆积。"),
    ("垃圾堆积", "网格员巡查发现小区门口垃圾堆积，已经起诉了。"),
    ("已经起诉", "物业工作人员反映楼道堆物。"),
    ("区法院门口", "人行道被小摊占满。"),
    ("", "退休后在物业公司当门卫，老板拖欠三个月工资。"),
    ("路灯不亮", "晚上很黑，请处理。"),
  ])
  func screenEqualsClassifyAndMatch(title: String, text: String) {
    let t = Ticket(id: "x", receivedAt: 0, title: title.isEmpty ? nil : title, text: text)
    let (flag, organisational) = classifier.screen(t)
    #expect(flag == classifier.classify(id: "x", title: title, text: text))
    // Organisational wording counts in the text, not in the title.
    #expect(organisational == org.matches(text))
  }
}
