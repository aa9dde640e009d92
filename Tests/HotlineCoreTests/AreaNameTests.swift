import HotlineCore
import Testing

/// The same area written differently maps to one key.
struct AreaNameTests {
  @Test(arguments: [
    "安河街道", "安河街道办事处", "安河街办", "安河街", "安河", " 安河街道 ", "安河街道（原安河镇）",
    "泰丰区安河街道", "泰丰区安河街道办事处", "澜江市泰丰区安河街道", "泰丰县安河街道",
  ])
  func streetVariants(_ name: String) {
    #expect(AreaName.key(name, level: .street, parents: ["泰丰区"]) == "安河")
  }

  @Test func realStreetsTownsAndDistricts() {
    // Nanjing (玄武区), Beijing (东城区), a 民族乡 and a town.
    #expect(AreaName.key("新街口街道办事处", level: .street) == AreaName.key("新街口街道", level: .street))
    #expect(AreaName.key("玄武区新街口街道", level: .street, parents: ["玄武区"]) == "新街口")
    #expect(AreaName.key("东华门街道办事处", level: .street) == "东华门")
    #expect(AreaName.key("东华门", level: .street) == "东华门")
    #expect(AreaName.key("阿苏卫民族乡", level: .street) == "阿苏卫")
    // A street named after its district keeps its whole name.
    #expect(AreaName.key("玄武门街道", level: .street, parents: ["玄武区"]) == "玄武门")
    #expect(AreaName.key("玄武门", level: .street, parents: ["玄武"]) == "玄武门")
    #expect(AreaName.key("朝源镇人民政府", level: .street) == AreaName.key("朝源镇", level: .street))
    #expect(AreaName.key("玄武", level: .district) == AreaName.key("玄武区", level: .district))
    #expect(AreaName.key("南京市玄武区", level: .district) == "玄武")
    #expect(AreaName.key("浦东新区", level: .district) == "浦东")
    #expect(AreaName.key("延庆县", level: .district) == "延庆")
    #expect(AreaName.key("浦岗社区居委会", level: .community) == AreaName.key("浦岗社区", level: .community))
    #expect(AreaName.key("翠墩村民委员会", level: .community) == "翠墩")
  }

  @Test func shortNamesKeepTheirSuffix() {
    // 城区, 矿区, 郊区 and 市中区 are whole names.
    #expect(AreaName.key("城区", level: .district) == "城区")
    #expect(AreaName.key("矿区", level: .district) == "矿区")
    #expect(AreaName.key("市中区", level: .district) == "市中")
    #expect(AreaName.key("东街", level: .street) == "东街")
    // A street whose name starts with 市 is not a city prefix.
    #expect(AreaName.key("市桥街道", level: .street) == "市桥")
  }

  @Test func widthAndSpaces() {
    #expect(AreaName.fold("ＡＢＣ１２３　街道") == "abc123街道")
    #expect(AreaName.key("第２街道", level: .street) == AreaName.key("第2街道", level: .street))
    #expect(AreaName.key("安 河 街 道", level: .street) == "安河")
  }
}

extension AreaNameTests {
  @Test func districtWithoutSuffixAsParent() {
    #expect(AreaName.key("泰丰区安河街道", level: .street, parents: ["泰丰"]) == "安河")
    #expect(AreaName.key("玄武门街道", level: .street, parents: ["玄武"]) == "玄武门")
  }

  @Test func shortDistrictAsParent() {
    // 城区 keeps its suffix as a key, but written before a street it is still the parent.
    #expect(AreaName.key("城区东关街道", level: .street, parents: ["城区"]) == "东关")
    #expect(AreaName.key("矿区东关街道办事处", level: .street, parents: ["矿区"]) == "东关")
    // Not a suffix: 城 alone is not stripped from 城东街道.
    #expect(AreaName.key("城东街道", level: .street, parents: ["城"]) == "城东")
  }
}

/// Spellings grouped by key, each area named by its most frequent spelling.
struct AreaSpellingsTests {
  @Test func groupsSpellingsUnderTheMostFrequent() {
    var s = AreaSpellings()
    let a = s.add(["龙坊区", "碧溪街道"], count: 6)
    #expect(s.add(["龙坊区", "碧溪"], count: 2) == a)
    #expect(s.add(["龙坊", "碧溪街道办事处"]) == a)
    #expect(s.count(a) == 9)
    #expect(s.display(a) == ["龙坊区", "碧溪街道"])
    #expect(s.name(a) == "龙坊区/碧溪街道")
    // Another street of the district, and the same street name elsewhere, stay apart.
    #expect(s.add(["龙坊区", "桂城街道"]) != a)
    #expect(s.add(["凤营区", "碧溪街道"]) != a)
    #expect(s.display("no such key") == nil)
    #expect(AreaSpellings.key(["龙坊区", "碧溪街道"]) == a)
  }

  @Test func tiesDoNotDependOnOrder() {
    // Equal counts: the spelling whose parts carry their suffixes, then the shorter.
    let forms: [[String]] = [["凤营", "明兴"], ["凤营区", "明兴街道办事处"], ["凤营区", "明兴街道"]]
    for order in [forms, forms.reversed(), [forms[1], forms[0], forms[2]]] {
      var s = AreaSpellings()
      let keys = order.map { s.add($0, count: 2) }
      #expect(Set(keys).count == 1)
      #expect(s.display(keys[0]) == ["凤营区", "明兴街道"])
    }
    // A more frequent spelling wins over a suffixed one.
    var s = AreaSpellings()
    let k = s.add(["凤营", "明兴"], count: 3)
    s.add(["凤营区", "明兴街道"], count: 2)
    #expect(s.name(k) == "凤营/明兴")
  }
}
