import HotlineCore

/// The mix of 诉求类型 a category tends to have.
enum KindProfile: Sendable {
  case consult, complaint, report, help, mixed, praise, other

  var table: WeightedTable {
    switch self {
    case .consult: KindProfile.tables[0]
    case .complaint: KindProfile.tables[1]
    case .report: KindProfile.tables[2]
    case .help: KindProfile.tables[3]
    case .mixed: KindProfile.tables[4]
    case .praise: KindProfile.tables[5]
    case .other: KindProfile.tables[6]
    }
  }
  static let tables: [WeightedTable] = [KindProfile.consult, .complaint, .report, .help, .mixed, .praise, .other].map {
    WeightedTable($0.weights)
  }

  /// Weights over TicketKind.allCases (咨询, 求助, 投诉, 举报, 建议, 表扬, 其他).
  var weights: [Double] {
    switch self {
    case .consult: [70, 8, 12, 1, 4, 1, 4]
    case .complaint: [14, 10, 62, 6, 4, 1, 3]
    case .report: [8, 3, 30, 54, 2, 0.5, 2.5]
    case .help: [22, 52, 20, 1, 2, 1, 2]
    case .mixed: [40, 12, 32, 4, 7, 1, 4]
    case .praise: [2, 0, 0, 0, 2, 94, 2]
    case .other: [15, 3, 10, 1, 3, 0, 68]
    }
  }
}

/// One level-1 class of the taxonomy (domain research 2.3).
struct L1Def: Sendable {
  let code: String
  let name: String
}

/// One level-2 problem type.
struct L2Def: Sendable {
  let code: String
  let name: String
  let weight: Double
  let profile: KindProfile
  /// Department patterns: `#D` becomes the district name, `#S` the street.
  let departments: [String]
  /// Keywords for the generic template (first is the short topic).
  let keywords: [String]
  var l1Index: Int { Int(code.prefix(2))! == 99 ? Taxonomy.l1.count - 1 : Int(code.prefix(2))! - 1 }
}

enum Taxonomy {
  static let l1: [L1Def] = [
    .init(code: "01", name: "城市管理"), .init(code: "02", name: "住房和城乡建设"),
    .init(code: "03", name: "物业管理"), .init(code: "04", name: "公用事业"),
    .init(code: "05", name: "交通运输"), .init(code: "06", name: "公安与社会秩序"),
    .init(code: "07", name: "生态环境"), .init(code: "08", name: "市场监管与消费维权"),
    .init(code: "09", name: "劳动和社会保障"), .init(code: "10", name: "医疗卫生与医保"),
    .init(code: "11", name: "教育"), .init(code: "12", name: "民政与社会服务"),
    .init(code: "13", name: "农业农村与自然资源"), .init(code: "14", name: "文化旅游体育"),
    .init(code: "15", name: "应急管理与安全"), .init(code: "16", name: "营商环境与企业服务"),
    .init(code: "17", name: "政务服务与机关作风"), .init(code: "18", name: "纠纷调解与法律服务"),
    .init(code: "19", name: "突发与专项"), .init(code: "99", name: "其他"),
  ]

  // swift-format-ignore
  static let l2: [L2Def] = [
    .init(code: "0101", name: "占道经营/流动摊贩", weight: 2.6, profile: .complaint, departments: ["#D城管局", "#S"], keywords: ["占道经营", "流动摊贩", "摆摊"]),
    .init(code: "0102", name: "环境卫生与垃圾清运", weight: 3.0, profile: .complaint, departments: ["#D城管局", "#D环卫所", "#S"], keywords: ["垃圾", "清运", "环境卫生"]),
    .init(code: "0103", name: "违法建设", weight: 1.8, profile: .report, departments: ["#D城管局", "#S", "#D住建局"], keywords: ["违建", "私搭乱建", "违章建筑"]),
    .init(code: "0104", name: "市政设施(道路/井盖/路灯/桥梁)", weight: 2.4, profile: .help, departments: ["#D城管局", "市市政设施管理处", "#D住建局"], keywords: ["路灯", "井盖", "路面"]),
    .init(code: "0105", name: "园林绿化", weight: 1.0, profile: .mixed, departments: ["#D园林绿化局", "#D城管局"], keywords: ["树木", "绿化", "修剪"]),
    .init(code: "0106", name: "户外广告与店招", weight: 0.4, profile: .complaint, departments: ["#D城管局"], keywords: ["广告牌", "店招", "LED屏"]),
    .init(code: "0107", name: "渣土与工程车", weight: 0.8, profile: .complaint, departments: ["#D城管局", "市交警支队", "#D住建局"], keywords: ["渣土车", "撒漏", "工程车"]),
    .init(code: "0108", name: "餐饮油烟(城管口径)", weight: 1.2, profile: .complaint, departments: ["#D城管局", "#D生态环境局", "#S"], keywords: ["油烟", "烧烤", "排烟"]),
    .init(code: "0201", name: "施工管理(含夜间施工)", weight: 2.8, profile: .complaint, departments: ["#D住建局", "#D城管局", "#D生态环境局"], keywords: ["夜间施工", "施工", "工地"]),
    .init(code: "0202", name: "房屋质量与安全", weight: 1.0, profile: .complaint, departments: ["#D住建局", "市房屋安全鉴定中心"], keywords: ["漏水", "裂缝", "房屋质量"]),
    .init(code: "0203", name: "房地产开发与交房", weight: 1.6, profile: .complaint, departments: ["市住建局", "#D住建局", "市自然资源和规划局"], keywords: ["交房", "延期交付", "开发商"]),
    .init(code: "0204", name: "不动产登记/房产证办理", weight: 1.3, profile: .consult, departments: ["市不动产登记中心", "#D住建局"], keywords: ["房产证", "不动产证", "过户"]),
    .init(code: "0205", name: "老旧小区改造/加装电梯", weight: 0.9, profile: .mixed, departments: ["#D住建局", "#S"], keywords: ["加装电梯", "老旧小区改造", "出新"]),
    .init(code: "0206", name: "房屋租赁与中介", weight: 1.0, profile: .complaint, departments: ["#D住建局", "市市场监管局", "#S"], keywords: ["中介", "押金", "租房"]),
    .init(code: "0207", name: "征收拆迁与补偿", weight: 0.6, profile: .complaint, departments: ["#D房屋征收办", "#S"], keywords: ["拆迁", "补偿", "征收"]),
    .init(code: "0208", name: "保障性住房", weight: 0.5, profile: .consult, departments: ["市住房保障中心", "#D住建局"], keywords: ["公租房", "保障房", "人才房"]),
    .init(code: "0301", name: "物业服务质量", weight: 3.2, profile: .complaint, departments: ["#D住建局", "#S", "#D物业管理办公室"], keywords: ["物业", "保洁", "保安"]),
    .init(code: "0302", name: "物业收费", weight: 1.4, profile: .complaint, departments: ["#D住建局", "#D发改委", "#S"], keywords: ["物业费", "收费", "停车费"]),
    .init(code: "0303", name: "电梯维保", weight: 1.5, profile: .help, departments: ["#D市场监管局", "#D住建局", "#S"], keywords: ["电梯", "困人", "维保"]),
    .init(code: "0304", name: "小区停车与秩序", weight: 1.7, profile: .complaint, departments: ["#S", "#D住建局", "市交警支队"], keywords: ["停车", "车位", "乱停"]),
    .init(code: "0305", name: "业委会与选聘", weight: 0.5, profile: .mixed, departments: ["#S", "#D住建局"], keywords: ["业委会", "选聘", "业主大会"]),
    .init(code: "0306", name: "专项维修资金", weight: 0.5, profile: .consult, departments: ["市住房维修资金管理中心", "#D住建局"], keywords: ["维修资金", "维修基金", "提取"]),
    .init(code: "0307", name: "楼内管道/下水", weight: 1.2, profile: .help, departments: ["#S", "#D住建局", "市水务集团"], keywords: ["下水道", "堵塞", "返水"]),
    .init(code: "0401", name: "供水/水质/停水", weight: 3.4, profile: .help, departments: ["市水务集团", "#D水务局"], keywords: ["停水", "水压", "水质"]),
    .init(code: "0402", name: "供电/停电", weight: 2.6, profile: .help, departments: ["市供电公司", "#D供电所"], keywords: ["停电", "跳闸", "电压"]),
    .init(code: "0403", name: "燃气", weight: 1.2, profile: .help, departments: ["市燃气集团", "#D应急管理局"], keywords: ["燃气", "天然气", "煤气"]),
    .init(code: "0404", name: "供暖", weight: 0.6, profile: .help, departments: ["市热力公司", "#D住建局"], keywords: ["暖气", "供暖", "温度"]),
    .init(code: "0405", name: "通信网络/广电", weight: 1.0, profile: .complaint, departments: ["市通信管理办公室", "市广电网络公司"], keywords: ["信号", "宽带", "网络"]),
    .init(code: "0406", name: "排水与积水", weight: 1.3, profile: .help, departments: ["#D水务局", "市排水管理处", "#D城管局"], keywords: ["积水", "排水", "雨水井"]),
    .init(code: "0501", name: "公交/地铁线路站点", weight: 1.8, profile: .mixed, departments: ["市公交集团", "市交通运输局", "市地铁集团"], keywords: ["公交", "站点", "线路"]),
    .init(code: "0502", name: "出租车/网约车", weight: 1.2, profile: .complaint, departments: ["市交通运输局", "市客运管理处"], keywords: ["出租车", "网约车", "拒载"]),
    .init(code: "0503", name: "非法营运", weight: 0.4, profile: .report, departments: ["市交通运输局", "市交警支队"], keywords: ["黑车", "非法营运", "拉客"]),
    .init(code: "0504", name: "道路交通设施/信号灯", weight: 1.0, profile: .help, departments: ["市交警支队", "#D交警大队", "#D城管局"], keywords: ["红绿灯", "信号灯", "标线"]),
    .init(code: "0505", name: "公共停车", weight: 0.9, profile: .mixed, departments: ["市停车管理中心", "#D城管局"], keywords: ["停车场", "停车收费", "泊位"]),
    .init(code: "0506", name: "共享单车/电动自行车管理", weight: 0.7, profile: .complaint, departments: ["#D城管局", "市交通运输局"], keywords: ["共享单车", "乱停放", "电动车"]),
    .init(code: "0507", name: "道路运输与货运", weight: 0.3, profile: .mixed, departments: ["市交通运输局"], keywords: ["货车", "货运", "运输"]),
    .init(code: "0601", name: "户籍与证件", weight: 1.3, profile: .consult, departments: ["市公安局", "#D公安分局"], keywords: ["户口", "身份证", "落户"]),
    .init(code: "0602", name: "交通秩序/违停", weight: 1.6, profile: .report, departments: ["#D交警大队", "市交警支队"], keywords: ["违停", "乱停车", "堵路"]),
    .init(code: "0603", name: "社会生活噪声/扰民", weight: 2.4, profile: .complaint, departments: ["#D公安分局", "#S", "#D城管局"], keywords: ["噪音", "扰民", "广场舞"]),
    .init(code: "0604", name: "治安隐患", weight: 0.6, profile: .report, departments: ["#D公安分局", "#S"], keywords: ["治安", "可疑人员", "监控"]),
    .init(code: "0605", name: "出入境", weight: 0.4, profile: .consult, departments: ["市公安局出入境管理支队"], keywords: ["护照", "港澳通行证", "签注"]),
    .init(code: "0606", name: "养犬管理", weight: 0.7, profile: .complaint, departments: ["#D公安分局", "#D城管局", "#S"], keywords: ["遛狗", "犬只", "狗叫"]),
    .init(code: "0701", name: "施工/工业/商业噪声", weight: 2.0, profile: .complaint, departments: ["#D生态环境局", "#D住建局", "#D城管局"], keywords: ["噪声", "机器声", "施工噪音"]),
    .init(code: "0702", name: "大气污染(扬尘/油烟/异味)", weight: 1.5, profile: .complaint, departments: ["#D生态环境局", "#D城管局"], keywords: ["扬尘", "异味", "烟尘"]),
    .init(code: "0703", name: "水体污染", weight: 0.5, profile: .report, departments: ["#D生态环境局", "#D水务局"], keywords: ["河道", "污水", "发黑发臭"]),
    .init(code: "0704", name: "固废/危废", weight: 0.3, profile: .report, departments: ["#D生态环境局"], keywords: ["固废", "倾倒", "危废"]),
    .init(code: "0705", name: "辐射与电磁", weight: 0.2, profile: .complaint, departments: ["市生态环境局"], keywords: ["基站", "辐射", "电磁"]),
    .init(code: "0706", name: "畜禽养殖污染", weight: 0.2, profile: .report, departments: ["#D生态环境局", "#D农业农村局"], keywords: ["养殖场", "猪场", "臭味"]),
    .init(code: "0801", name: "食品安全", weight: 1.2, profile: .report, departments: ["#D市场监管局"], keywords: ["食品", "过期", "变质"]),
    .init(code: "0802", name: "预付卡/退费(单用途预付卡)", weight: 2.2, profile: .complaint, departments: ["#D市场监管局", "#D商务局", "#D教育局"], keywords: ["预付卡", "退费", "跑路"]),
    .init(code: "0803", name: "价格与明码标价", weight: 0.6, profile: .complaint, departments: ["#D市场监管局"], keywords: ["价格", "标价", "乱收费"]),
    .init(code: "0804", name: "产品质量与售后", weight: 1.4, profile: .complaint, departments: ["#D市场监管局"], keywords: ["质量问题", "售后", "退货"]),
    .init(code: "0805", name: "网络交易/平台纠纷", weight: 1.8, profile: .complaint, departments: ["市市场监管局"], keywords: ["网购", "平台", "退款"]),
    .init(code: "0806", name: "特种设备", weight: 0.3, profile: .report, departments: ["#D市场监管局"], keywords: ["特种设备", "锅炉", "游乐设施"]),
    .init(code: "0807", name: "无证无照经营", weight: 0.6, profile: .report, departments: ["#D市场监管局", "#S"], keywords: ["无证经营", "黑作坊", "无照"]),
    .init(code: "0808", name: "药品医疗器械", weight: 0.3, profile: .report, departments: ["市药品监督管理局", "#D市场监管局"], keywords: ["药店", "药品", "医疗器械"]),
    .init(code: "0901", name: "拖欠工资(工程建设领域)", weight: 1.6, profile: .help, departments: ["#D人社局", "#D住建局", "市劳动保障监察支队"], keywords: ["欠薪", "农民工工资", "工程款"]),
    .init(code: "0902", name: "拖欠工资(其他行业)", weight: 2.0, profile: .help, departments: ["#D人社局", "市劳动保障监察支队"], keywords: ["拖欠工资", "欠薪", "工资"]),
    .init(code: "0903", name: "劳动关系/合同/解除", weight: 1.1, profile: .consult, departments: ["#D人社局", "#D劳动人事争议仲裁院"], keywords: ["劳动合同", "辞退", "经济补偿"]),
    .init(code: "0904", name: "社会保险参保缴费", weight: 2.3, profile: .consult, departments: ["市社保中心", "#D人社局", "市医保局"], keywords: ["社保", "参保", "缴费"]),
    .init(code: "0905", name: "养老金与退休待遇", weight: 1.0, profile: .consult, departments: ["市社保中心", "#D人社局"], keywords: ["养老金", "退休", "待遇"]),
    .init(code: "0906", name: "就业创业/失业", weight: 0.8, profile: .consult, departments: ["#D人社局", "市就业服务中心"], keywords: ["失业金", "就业", "创业补贴"]),
    .init(code: "0907", name: "新就业形态劳动者权益", weight: 0.4, profile: .complaint, departments: ["#D人社局", "市总工会"], keywords: ["外卖骑手", "快递员", "平台"]),
    .init(code: "1001", name: "医疗服务与就医流程", weight: 1.2, profile: .complaint, departments: ["市卫健委", "#D卫健委"], keywords: ["医院", "挂号", "就医"]),
    .init(code: "1002", name: "医保报销/异地备案", weight: 1.7, profile: .consult, departments: ["市医保局", "#D医保局"], keywords: ["医保", "报销", "异地备案"]),
    .init(code: "1003", name: "公共卫生/传染病防控", weight: 0.5, profile: .mixed, departments: ["市疾控中心", "#D卫健委"], keywords: ["疫苗", "接种", "蚊虫"]),
    .init(code: "1004", name: "控烟", weight: 0.3, profile: .report, departments: ["#D卫健委", "市爱卫办"], keywords: ["吸烟", "控烟", "抽烟"]),
    .init(code: "1005", name: "医疗纠纷", weight: 0.4, profile: .complaint, departments: ["#D卫健委", "市医调委"], keywords: ["医疗纠纷", "误诊", "医疗事故"]),
    .init(code: "1006", name: "生育与妇幼", weight: 0.4, profile: .consult, departments: ["#D卫健委", "市医保局"], keywords: ["生育津贴", "出生证明", "产检"]),
    .init(code: "1101", name: "入学与学区划分", weight: 1.1, profile: .consult, departments: ["#D教育局"], keywords: ["入学", "学区", "划片"]),
    .init(code: "1102", name: "学位/普惠幼儿园", weight: 0.5, profile: .consult, departments: ["#D教育局"], keywords: ["幼儿园", "学位", "普惠"]),
    .init(code: "1103", name: "校外培训与预收费", weight: 0.9, profile: .complaint, departments: ["#D教育局", "#D市场监管局"], keywords: ["培训机构", "退费", "补课"]),
    .init(code: "1104", name: "学校管理与收费", weight: 0.7, profile: .complaint, departments: ["#D教育局"], keywords: ["学校", "收费", "作业"]),
    .init(code: "1105", name: "考试招生", weight: 0.4, profile: .consult, departments: ["市教育考试院"], keywords: ["中考", "高考", "报名"]),
    .init(code: "1106", name: "校园周边安全", weight: 0.4, profile: .mixed, departments: ["#D教育局", "#D交警大队", "#S"], keywords: ["校门口", "接送", "安全"]),
    .init(code: "1201", name: "社会救助/低保", weight: 0.6, profile: .consult, departments: ["#D民政局", "#S"], keywords: ["低保", "救助", "困难"]),
    .init(code: "1202", name: "养老服务", weight: 0.5, profile: .consult, departments: ["#D民政局"], keywords: ["养老院", "高龄补贴", "居家养老"]),
    .init(code: "1203", name: "残疾人服务", weight: 0.3, profile: .consult, departments: ["#D残联"], keywords: ["残疾证", "残疾人", "补贴"]),
    .init(code: "1204", name: "未成年人保护", weight: 0.2, profile: .report, departments: ["#D民政局", "#D公安分局"], keywords: ["未成年人", "儿童", "监护"]),
    .init(code: "1205", name: "殡葬", weight: 0.2, profile: .mixed, departments: ["#D民政局"], keywords: ["殡葬", "墓地", "焚烧"]),
    .init(code: "1206", name: "婚姻登记", weight: 0.2, profile: .consult, departments: ["#D民政局"], keywords: ["结婚登记", "婚姻登记", "预约"]),
    .init(code: "1207", name: "退役军人优抚", weight: 0.3, profile: .consult, departments: ["#D退役军人事务局"], keywords: ["退役军人", "优抚", "安置"]),
    .init(code: "1301", name: "农村道路与基础设施", weight: 0.5, profile: .help, departments: ["#D农业农村局", "#D交通运输局", "#S"], keywords: ["村道", "路面破损", "自来水"]),
    .init(code: "1302", name: "土地/宅基地", weight: 0.4, profile: .mixed, departments: ["#D自然资源局", "#S"], keywords: ["宅基地", "土地", "占地"]),
    .init(code: "1303", name: "农业补贴与农资", weight: 0.2, profile: .consult, departments: ["#D农业农村局"], keywords: ["种粮补贴", "农资", "化肥"]),
    .init(code: "1304", name: "林业", weight: 0.1, profile: .report, departments: ["#D园林绿化局"], keywords: ["砍伐", "林地", "树木"]),
    .init(code: "1305", name: "水利", weight: 0.2, profile: .help, departments: ["#D水务局"], keywords: ["灌溉", "沟渠", "泵站"]),
    .init(code: "1306", name: "村务管理", weight: 0.3, profile: .complaint, departments: ["#S", "#D农业农村局"], keywords: ["村委会", "村务公开", "分红"]),
    .init(code: "1401", name: "旅游投诉", weight: 0.3, profile: .complaint, departments: ["市文旅局"], keywords: ["旅行社", "导游", "景区"]),
    .init(code: "1402", name: "文物保护", weight: 0.1, profile: .report, departments: ["市文物局"], keywords: ["文物", "古建筑", "保护"]),
    .init(code: "1403", name: "体育健身场所", weight: 0.3, profile: .mixed, departments: ["#D体育局"], keywords: ["健身器材", "球场", "体育馆"]),
    .init(code: "1404", name: "文化市场", weight: 0.1, profile: .report, departments: ["市文化市场综合执法支队"], keywords: ["网吧", "KTV", "演出"]),
    .init(code: "1405", name: "公园景区管理", weight: 0.4, profile: .mixed, departments: ["#D园林绿化局", "市文旅局"], keywords: ["公园", "厕所", "景区"]),
    .init(code: "1501", name: "消防安全(通道占用/飞线充电)", weight: 1.0, profile: .report, departments: ["#D消防救援大队", "#S"], keywords: ["消防通道", "飞线充电", "堆放杂物"]),
    .init(code: "1502", name: "安全生产", weight: 0.3, profile: .report, departments: ["#D应急管理局"], keywords: ["安全生产", "隐患", "违规作业"]),
    .init(code: "1503", name: "防汛与自然灾害", weight: 0.3, profile: .help, departments: ["#D应急管理局", "#D水务局"], keywords: ["防汛", "内涝", "塌方"]),
    .init(code: "1504", name: "危险化学品", weight: 0.1, profile: .report, departments: ["#D应急管理局"], keywords: ["危化品", "液化气", "储存"]),
    .init(code: "1505", name: "电动自行车充电", weight: 0.6, profile: .mixed, departments: ["#S", "#D消防救援大队"], keywords: ["充电桩", "电动车充电", "充电"]),
    .init(code: "1601", name: "惠企政策咨询/兑现", weight: 0.6, profile: .consult, departments: ["#D工信局", "#D发改委"], keywords: ["惠企政策", "补贴", "兑现"]),
    .init(code: "1602", name: "证照办理", weight: 0.5, profile: .consult, departments: ["#D行政审批局", "#D市场监管局"], keywords: ["营业执照", "许可证", "注销"]),
    .init(code: "1603", name: "税费", weight: 0.5, profile: .consult, departments: ["#D税务局"], keywords: ["发票", "个税", "退税"]),
    .init(code: "1604", name: "融资", weight: 0.1, profile: .consult, departments: ["市地方金融监管局"], keywords: ["贷款", "融资", "担保"]),
    .init(code: "1605", name: "涉企执法检查", weight: 0.1, profile: .complaint, departments: ["市司法局"], keywords: ["执法检查", "罚款", "检查"]),
    .init(code: "1606", name: "知识产权", weight: 0.1, profile: .report, departments: ["市知识产权局"], keywords: ["商标", "假冒", "专利"]),
    .init(code: "1701", name: "办事流程/一网通办", weight: 1.0, profile: .consult, departments: ["市政务服务管理办公室", "#D政务服务中心"], keywords: ["办事", "材料", "一网通办"]),
    .init(code: "1702", name: "窗口服务态度", weight: 0.4, profile: .complaint, departments: ["#D政务服务中心"], keywords: ["窗口", "态度", "工作人员"]),
    .init(code: "1703", name: "政策咨询(通用)", weight: 1.4, profile: .consult, departments: ["市民热线服务中心"], keywords: ["政策", "规定", "咨询"]),
    .init(code: "1704", name: "信息公开", weight: 0.1, profile: .consult, departments: ["市政府办公室"], keywords: ["信息公开", "申请", "公开"]),
    .init(code: "1705", name: "工作人员作风", weight: 0.3, profile: .complaint, departments: ["#D纪委监委", "#S"], keywords: ["推诿", "不作为", "态度"]),
    .init(code: "1706", name: "热线自身服务", weight: 0.2, profile: .complaint, departments: ["市民热线服务中心"], keywords: ["热线", "接通", "回访"]),
    .init(code: "1801", name: "邻里纠纷", weight: 0.8, profile: .help, departments: ["#S", "#D司法局"], keywords: ["邻居", "纠纷", "调解"]),
    .init(code: "1802", name: "经济纠纷", weight: 0.6, profile: .help, departments: ["#D司法局", "#D市场监管局"], keywords: ["欠款", "合同纠纷", "借款"]),
    .init(code: "1803", name: "法律援助", weight: 0.3, profile: .consult, departments: ["#D法律援助中心"], keywords: ["法律援助", "律师", "咨询"]),
    .init(code: "1804", name: "涉诉涉访事项(超范围)", weight: 0.0, profile: .other, departments: ["市民热线服务中心"], keywords: ["法院", "信访", "仲裁"]),
    .init(code: "1901", name: "疫情防控(历史)", weight: 0.05, profile: .consult, departments: ["#D卫健委"], keywords: ["核酸", "隔离", "防疫"]),
    .init(code: "1902", name: "极端天气", weight: 0.2, profile: .help, departments: ["#D应急管理局", "#D城管局"], keywords: ["暴雨", "大风", "倒伏"]),
    .init(code: "1903", name: "重大活动保障", weight: 0.05, profile: .mixed, departments: ["#D城管局"], keywords: ["马拉松", "交通管制", "活动"]),
    .init(code: "1904", name: "其他专项", weight: 0.1, profile: .mixed, departments: ["#S"], keywords: ["专项整治", "创建", "文明城市"]),
    .init(code: "9901", name: "超出辖区", weight: 0.0, profile: .other, departments: ["市民热线服务中心"], keywords: ["外地", "非本市", "辖区"]),
    .init(code: "9902", name: "紧急事项转110/119/120/122", weight: 0.3, profile: .help, departments: ["市民热线服务中心"], keywords: ["报警", "急救", "火情"]),
    .init(code: "9903", name: "无效来电/骚扰", weight: 0.0, profile: .other, departments: ["市民热线服务中心"], keywords: ["无效", "骚扰", "辱骂"]),
    .init(code: "9904", name: "表扬感谢", weight: 0.5, profile: .praise, departments: ["市民热线服务中心"], keywords: ["感谢", "表扬", "锦旗"]),
    .init(code: "9905", name: "其他", weight: 0.4, profile: .other, departments: ["市民热线服务中心"], keywords: ["其他", "咨询", "问题"]),
  ]

  static let l2Index: [String: Int] = Dictionary(uniqueKeysWithValues: l2.enumerated().map { ($1.code, $0) })

  static func index(_ code: String) -> Int { l2Index[code]! }

  static let paths: [String] = l2.map { l1[$0.l1Index].name + "->" + $0.name }

  @inline(__always) static func path(_ i: Int) -> String { paths[i] }
}

