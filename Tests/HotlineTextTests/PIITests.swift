import HotlineText
import Testing

struct PIITests {
  @Test(arguments: [
    ("", ""),
    ("没有号码的文本", "没有号码的文本"),
    ("请回电13812345678谢谢", "请回电138****5678谢谢"),
    ("电话：+86 138-1234-5678", "电话：138****5678"),
    ("联系8613812345678", "联系138****5678"),
    ("手机１３８１２３４５６７８", "手机138****5678"),
    ("座机010-62345678有人接", "座机010****5678有人接"),
    ("电话62345678", "电话****5678"),
    ("身份证110105199003071234，", "身份证110105********1234，"),
    ("身份证11010519900307123X。", "身份证110105********123X。"),
    ("车牌号京B12345违停", "车牌号京B***45违停"),
    ("粤B·D12345占道", "粤B***45占道"),
  ])
  func masksNumbers(text: String, expected: String) {
    #expect(PII.mask(text) == expected)
  }

  @Test(arguments: [
    "预交学费共计28000元，多次协商无果",
    "2019年2月28日起停水",
    "A3区魏家坡小区12栋3单元",
    "拨打12345反映",
    "订单号A12345678901",
    "金额12345678元",
  ])
  func leavesOrdinaryNumbersAlone(text: String) {
    #expect(PII.mask(text) == text)
  }

  @Test func maskedTextContainsNoPII() {
    let text = "我叫张三，电话13912345678，身份证320102198812120011，车牌苏A88888"
    let masked = PII.mask(text)
    #expect(!masked.contains("13912345678"))
    #expect(!masked.contains("320102198812120011"))
    #expect(!masked.contains("A88888"))
    #expect(!PII.containsPII(masked))
  }

  @Test(arguments: [
    ("+86 138-1234-5678", "13812345678"),
    ("0086 13812345678", "13812345678"),
    ("(010) 6234-5678", "01062345678"),
    ("U0008488", "u0008488"),
    ("保密", nil),
    ("  ", nil),
  ] as [(String, String?)])
  func normalizesPhoneNumbers(raw: String, expected: String?) {
    #expect(PhoneNumber.normalize(raw) == expected)
  }

  @Test func masksForDisplay() {
    #expect(PhoneNumber.mask(normalized: "13812345678") == "138****5678")
    #expect(PhoneNumber.mask(normalized: "u0008488") == "u0***88")
  }
}
