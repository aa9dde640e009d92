import Foundation
import HotlineAnalysis
import HotlineCore
import Testing

/// Hand-made tickets whose KPIs are counted by hand below.
enum KPIFixture {
  static let clock = ZoneClock.shanghai
  static func at(_ d: Int, _ h: Int = 9) -> Int64 { clock.epoch(CivilDateTime(year: 2025, month: 6, day: d, hour: h)) }

  static var tickets: [Ticket] {
    [
      // On time, resolved, 满意.
      Ticket(id: "T1", receivedAt: at(1), dispatchedAt: at(1, 10), deadlineAt: at(5), closedAt: at(3), departments: ["A局"],
             transferCount: 0, status: "已回访", resolution: .resolved, satisfaction: "满意"),
      // Late, unresolved, 不满意, passed A→B→A three times.
      Ticket(id: "T2", receivedAt: at(1), dispatchedAt: at(1, 10), deadlineAt: at(5), closedAt: at(9), departments: ["A局", "B局", "A局"],
             transferCount: 3, status: "已办结", resolution: .unresolved, satisfaction: "不满意"),
      // Open past its deadline, never signed for.
      Ticket(id: "T3", receivedAt: at(2), dispatchedAt: at(2, 10), deadlineAt: at(6), departments: ["A局"], transferCount: 0, status: "待签收"),
      // Partly resolved, 基本满意, extended.
      Ticket(id: "T4", receivedAt: at(2), dispatchedAt: at(2, 10), deadlineAt: at(20), closedAt: at(10), departments: ["A局"],
             transferCount: 1, status: "延期办理", resolution: .partial, satisfaction: "基本满意"),
      // Re-handled ticket of T1 (重办), answered directly, not rated.
      Ticket(id: "T1-01", receivedAt: at(4), departments: ["B局", "A局"], transferCount: 2, status: "办理中", satisfaction: "未评价", parentId: "T1"),
    ]
  }
}

struct KPITests {
  let asOf = KPIFixture.at(15)

  @Test func countsByHand() throws {
    let r = KPIReport(tickets: KPIFixture.tickets, grouping: .department, asOf: asOf)
    let all = r.overall
    #expect(all.tickets == 5)
    #expect(all.response.numerator == 3 && all.response.denominator == 4)  // T3 not signed; T1-01 not dispatched
    #expect(all.response.failingTicketIds == ["T3"])
    #expect(all.onTime.numerator == 2 && all.onTime.denominator == 4)  // T1, T4 on time; T2 late; T3 open and overdue
    #expect(all.overdue == 2 && Set(all.overdueTicketIds) == ["T2", "T3"])
    #expect(all.resolution.numerator == 1 && all.resolution.denominator == 3)
    #expect(all.satisfaction.numerator == 2 && all.satisfaction.denominator == 3)  // 未评价 excluded
    #expect(all.satisfactionGrades == ["满意": 1, "不满意": 1, "基本满意": 1, "未评价": 1])
    #expect(all.extended == 1 && all.transfers == 6 && all.multipleTransfers == 2)
    #expect(all.reopened == 1 && all.reopenedTicketIds == ["T1-01"])
    let a = try #require(r.units.first { $0.unit == "A局" })
    #expect(a.tickets == 4)
    #expect(r.units.map(\.unit) == ["A局", "B局"])
  }

  @Test func definitionsAreConfigurable() {
    var d = KPIDefinitions()
    d.partialCountsAsResolved = true
    d.satisfiedGrades = ["满意"]
    let all = KPIReport(tickets: KPIFixture.tickets, grouping: .district, asOf: asOf, definitions: d).overall
    #expect(all.resolution.numerator == 2)
    #expect(all.satisfaction.numerator == 1)
  }

  @Test func unitsBelowFloorsAreNamedOnlyWithEnoughTickets() {
    var th = KPIThresholds(response: 0.92, onTime: 0.9, resolution: 0.8, satisfaction: 0.85, minTickets: 3)
    var r = KPIReport(tickets: KPIFixture.tickets, grouping: .department, asOf: asOf, thresholds: th)
    #expect(r.belowThreshold.map(\.unit) == ["A局"])
    #expect(r.belowThreshold[0].below == ["response", "on_time", "resolution", "satisfaction"])
    th.minTickets = 30
    r = KPIReport(tickets: KPIFixture.tickets, grouping: .department, asOf: asOf, thresholds: th)
    #expect(r.belowThreshold.isEmpty)
  }

  @Test func pingPongPairs() {
    let r = KPIReport(tickets: KPIFixture.tickets, grouping: .department, asOf: asOf)
    #expect(r.pingPongPairs.count == 1)
    #expect(r.pingPongPairs[0].first == "A局" && r.pingPongPairs[0].second == "B局")
    #expect(r.pingPongPairs[0].tickets == 2 && r.pingPongPairs[0].ticketIds == ["T2", "T1-01"])
  }

  @Test func wilsonInterval() {
    let (lo, hi) = KPIRate.wilson(p: 0.5, n: 100)
    #expect(abs(lo - 0.40383) < 1e-4 && abs(hi - 0.59617) < 1e-4)
    let r = KPIRate(numerator: 0, denominator: 10, failing: [])
    #expect(r.low == 0 && (r.high ?? 0) > 0.25 && (r.high ?? 1) < 0.35)
  }

  @Test func jsonFieldNamesAreSnakeCase() throws {
    let r = KPIReport(tickets: KPIFixture.tickets, grouping: .street, asOf: asOf)
    let s = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
    for key in ["\"on_time\"", "\"below_threshold\"", "\"ping_pong_pairs\"", "\"satisfaction_grades\"", "\"failing_ticket_ids\""] {
      #expect(s.contains(key), "\(key)")
    }
  }
}

struct ReportPeriodTests {
  @Test func parsesAndSteps() throws {
    let m = try #require(ReportPeriod(parsing: "2024-06"))
    #expect(m.days == 30 && ReportPeriod.dayString(m.startDay) == "2024-06-01")
    #expect(m.previous.label == "2024-05" && m.yearEarlier.label == "2023-06")
    #expect(try #require(ReportPeriod(parsing: "2024-01")).previous.label == "2023-12")
    let w = try #require(ReportPeriod(parsing: "2024-W01"))
    #expect(ReportPeriod.dayString(w.startDay) == "2024-01-01" && w.days == 7)
    #expect(ReportPeriod.dayString(try #require(ReportPeriod(parsing: "2021-W01")).startDay) == "2021-01-04")
    #expect(try #require(ReportPeriod(parsing: "2024-Q1")).previous.label == "2023-Q4")
    let r = try #require(ReportPeriod(parsing: "2024-06-01..2024-06-10"))
    #expect(r.days == 10 && ReportPeriod.dayString(r.previous.startDay) == "2024-05-22")
    #expect(ReportPeriod(parsing: "2024-13") == nil && ReportPeriod(parsing: "junk") == nil)
    #expect(ReportPeriod(parsing: "2024-06-31") == nil)
  }

  @Test func lastWholePeriods() {
    let d = CivilDateTime.daysFromCivil(year: 2025, month: 12, day: 31)
    #expect(ReportPeriod.lastWhole(.month, endingBy: d).label == "2025-12")
    #expect(ReportPeriod.lastWhole(.month, endingBy: d - 1).label == "2025-11")
    // 2025-12-31 is a Wednesday: the last whole ISO week is 2025-W51 (Dec 15–21)... W52 is Dec 22–28.
    let w = ReportPeriod.lastWhole(.week, endingBy: d)
    #expect(w.label == "2025-W52" && ReportPeriod.dayString(w.startDay) == "2025-12-22")
  }
}

extension KPITests {
  /// The spellings of one district or street are one unit, named by the most
  /// frequent spelling; a street without its district is a unit of its own.
  @Test func areaSpellingsAreOneUnit() {
    func ticket(_ id: String, _ district: String?, _ street: String?) -> Ticket {
      Ticket(id: id, receivedAt: KPIFixture.at(1), district: district, street: street)
    }
    let tickets = [
      ticket("a", "龙坊区", "碧溪街道"), ticket("b", "龙坊区", "碧溪街道"), ticket("c", "龙坊", "碧溪"),
      ticket("d", "龙坊区", "碧溪街道办事处"), ticket("e", "龙坊区", "桂城街道"), ticket("f", nil, "碧溪街道"),
      ticket("g", " ", "碧溪"), ticket("h", "龙坊区", nil),
    ]
    let streets = KPIReport(tickets: tickets, grouping: .street, asOf: asOf).units.map { "\($0.unit) \($0.tickets)" }
    #expect(streets == ["龙坊区/碧溪街道 4", "碧溪街道 2", "龙坊区/桂城街道 1"])
    let districts = KPIReport(tickets: tickets, grouping: .district, asOf: asOf).units.map { "\($0.unit) \($0.tickets)" }
    #expect(districts == ["龙坊区 6"])
  }
}
