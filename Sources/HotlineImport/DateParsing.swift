import HotlineCore

/// Hand-written timestamp parser on UTF-8 bytes (no DateFormatter).
///
/// Accepted (see README.md "Dates"):
/// - `2019/2/28 11:25:05`, `2019/2/28 11:25`, `2019-02-28 11:25:05`,
///   `2019-02-28T11:25:05`, `2019.02.28`, with `.000` fractions and `Z`,
///   `+08:00`, `+0800` or `+08` offsets; date only;
/// - `2019年2月28日 11时25分[05秒]`, `2019年2月28日 11:25`;
/// - US `03/01/2011 02:27:57 PM` (month first; day first when the first number > 12), AM/PM,
///   上午/下午 also accepted after the time;
/// - `20190228` and `20190228112505`;
/// - Excel serial numbers (1900 date system) such as `43524.4757`;
/// - epoch seconds (10 digits) and milliseconds (13 digits).
/// Naive times are read in `clock`'s zone; explicit offsets win.
enum DateParsing {
  static func parse(_ s: String, clock: ZoneClock) -> Int64? {
    var s = s
    return s.withUTF8 { parse($0, clock: clock) }
  }

  @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

  static func parse(_ buf: UnsafeBufferPointer<UInt8>, clock: ZoneClock) -> Int64? {
    var lo = 0
    var hi = buf.count
    while lo < hi, buf[lo] == 0x20 || buf[lo] == 0x09 { lo += 1 }
    while hi > lo, buf[hi - 1] == 0x20 || buf[hi - 1] == 0x09 || buf[hi - 1] == 0x0D
      || buf[hi - 1] == 0x0A
    {
      hi -= 1
    }
    if lo == hi { return nil }
    // Purely numeric?
    var allNum = true
    var dots = 0
    for i in lo..<hi {
      let b = buf[i]
      if b == 0x2E {
        dots += 1
      } else if !isDigit(b) {
        allNum = false
        break
      }
    }
    if allNum && dots <= 1 { return numeric(buf, lo, hi, dots: dots, clock: clock) }

    var i = lo
    @inline(__always) func num(maxDigits: Int) -> (Int, Int)? {
      var v = 0
      var n = 0
      while i < hi, n < maxDigits, isDigit(buf[i]) {
        v = v * 10 + Int(buf[i] &- 0x30)
        i += 1
        n += 1
      }
      return n == 0 ? nil : (v, n)
    }
    @inline(__always) func match(_ bytes: [UInt8]) -> Bool {
      if hi - i < bytes.count { return false }
      for k in 0..<bytes.count where buf[i + k] != bytes[k] { return false }
      i += bytes.count
      return true
    }
    @inline(__always) func skipSpaces() {
      while i < hi, buf[i] == 0x20 || buf[i] == 0x09 { i += 1 }
    }

    guard let (a, an) = num(maxDigits: 4), i < hi else { return nil }
    var year = 0
    var month = 0
    var day = 0
    if an == 4 {
      year = a
      let sep = buf[i]
      if sep == 0x2D || sep == 0x2F || sep == 0x2E {
        i += 1
        guard let (m, _) = num(maxDigits: 2), i < hi, buf[i] == sep else { return nil }
        i += 1
        guard let (d, _) = num(maxDigits: 2) else { return nil }
        month = m
        day = d
      } else if match(nian) {
        guard let (m, _) = num(maxDigits: 2), match(yue), let (d, _) = num(maxDigits: 2) else {
          return nil
        }
        _ = match(ri) || match(hao)
        month = m
        day = d
      } else {
        return nil
      }
    } else if an <= 2 {
      let sep = buf[i]
      guard sep == 0x2F || sep == 0x2D || sep == 0x2E else { return nil }
      i += 1
      guard let (b, _) = num(maxDigits: 2), i < hi, buf[i] == sep else { return nil }
      i += 1
      guard let (y, yn) = num(maxDigits: 4), yn == 4 else { return nil }
      year = y
      if a > 12 {
        day = a
        month = b
      } else {
        month = a
        day = b
      }
    } else {
      return nil
    }
    var hour = 0
    var minute = 0
    var second = 0
    var offset: Int? = nil
    if i < hi {
      // Separator between date and time.
      if buf[i] == 0x54 || buf[i] == 0x74 {
        i += 1
      } else {
        skipSpaces()
      }
      if i < hi, isDigit(buf[i]) {
        guard let (h, _) = num(maxDigits: 2) else { return nil }
        hour = h
        if i < hi, buf[i] == 0x3A {
          i += 1
          guard let (m, _) = num(maxDigits: 2) else { return nil }
          minute = m
          if i < hi, buf[i] == 0x3A {
            i += 1
            guard let (sec, _) = num(maxDigits: 2) else { return nil }
            second = sec
            if i < hi, buf[i] == 0x2E || buf[i] == 0x2C {
              i += 1
              while i < hi, isDigit(buf[i]) { i += 1 }
            }
          }
        } else if match(shi) || match(dian) || match(dian2) {
          if i < hi, isDigit(buf[i]) {
            guard let (m, _) = num(maxDigits: 2) else { return nil }
            minute = m
            guard match(fen) else { return nil }
            if i < hi, isDigit(buf[i]) {
              guard let (sec, _) = num(maxDigits: 2), match(miao) else { return nil }
              second = sec
            }
          }
        } else {
          return nil
        }
        skipSpaces()
        // AM / PM
        if i < hi {
          let b = buf[i] | 0x20
          if (b == 0x61 || b == 0x70), i + 1 < hi, buf[i + 1] | 0x20 == 0x6D {
            guard hour >= 1 && hour <= 12 else { return nil }
            if b == 0x61 { if hour == 12 { hour = 0 } } else if hour != 12 { hour += 12 }
            i += 2
            skipSpaces()
          } else if match(shangwu) {
            if hour == 12 { hour = 0 }
            skipSpaces()
          } else if match(xiawu) || match(wanshang) {
            if hour < 12 { hour += 12 }
            skipSpaces()
          }
        }
      } else if i < hi, match(shangwu) || match(xiawu) {
        return nil
      }
      // Offset
      if i < hi {
        let b = buf[i]
        if b == 0x5A || b == 0x7A {
          offset = 0
          i += 1
        } else if b == 0x2B || b == 0x2D {
          let sign = b == 0x2B ? 1 : -1
          i += 1
          guard let (oh, ohn) = num(maxDigits: 2), ohn == 2 else { return nil }
          var om = 0
          if i < hi, buf[i] == 0x3A { i += 1 }
          if i < hi, isDigit(buf[i]) {
            guard let (m, mn) = num(maxDigits: 2), mn == 2 else { return nil }
            om = m
          }
          offset = sign * (oh * 3600 + om * 60)
        } else if match(utc) || match(gmt) {
          offset = 0
        }
      }
      skipSpaces()
      if i != hi { return nil }
    }
    let c = CivilDateTime(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    guard c.isValid else { return nil }
    if let offset {
      let days = CivilDateTime.daysFromCivil(year: year, month: month, day: day)
      return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
    }
    return clock.epoch(c)
  }

  static func numeric(
    _ buf: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, dots: Int, clock: ZoneClock
  ) -> Int64? {
    let n = hi - lo
    func digits(_ from: Int, _ count: Int) -> Int {
      var v = 0
      for k in from..<(from + count) { v = v * 10 + Int(buf[k] &- 0x30) }
      return v
    }
    if dots == 0 {
      if n == 8 || n == 14 {
        let c = CivilDateTime(
          year: digits(lo, 4), month: digits(lo + 4, 2), day: digits(lo + 6, 2),
          hour: n == 14 ? digits(lo + 8, 2) : 0, minute: n == 14 ? digits(lo + 10, 2) : 0,
          second: n == 14 ? digits(lo + 12, 2) : 0)
        if c.isValid { return clock.epoch(c) }
        return nil
      }
      if n == 10 { return Int64(digits(lo, 10)) }
      if n == 13 { return Int64(digits(lo, 13)) / 1000 }
      if n > 6 { return nil }
    }
    // Excel serial (1900 system; serials before 61 are off by Excel's 1900 leap bug).
    guard let v = Double(String(decoding: UnsafeBufferPointer(rebasing: buf[lo..<hi]), as: UTF8.self)),
      v >= 1, v < 200_000
    else { return nil }
    return excelSerial(v, clock: clock)
  }

  /// Epoch seconds of an Excel 1900-system serial read as wall time in `clock`'s zone.
  static func excelSerial(_ v: Double, clock: ZoneClock) -> Int64? {
    var dayPart = v.rounded(.down)
    var secs = ((v - dayPart) * 86_400).rounded()
    if secs >= 86_400 {
      secs -= 86_400
      dayPart += 1
    }
    var days = Int(dayPart) - 25_569  // 1970-01-01 is serial 25569
    if dayPart < 61 { days += 1 }
    let (y, m, d) = CivilDateTime.civilFromDays(days)
    let s = Int(secs)
    let c = CivilDateTime(year: y, month: m, day: d, hour: s / 3600, minute: s % 3600 / 60, second: s % 60)
    guard c.isValid else { return nil }
    return clock.epoch(c)
  }

  static let nian = Array("年".utf8)
  static let yue = Array("月".utf8)
  static let ri = Array("日".utf8)
  static let hao = Array("号".utf8)
  static let shi = Array("时".utf8)
  static let dian = Array("点".utf8)
  static let dian2 = Array("點".utf8)
  static let fen = Array("分".utf8)
  static let miao = Array("秒".utf8)
  static let shangwu = Array("上午".utf8)
  static let xiawu = Array("下午".utf8)
  static let wanshang = Array("晚上".utf8)
  static let utc = Array("UTC".utf8)
  static let gmt = Array("GMT".utf8)
}
