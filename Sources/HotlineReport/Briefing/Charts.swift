import Foundation

/// Escapes text for HTML element content and attribute values.
public func escapeHTML(_ s: String) -> String {
  var out = ""
  out.reserveCapacity(s.utf8.count)
  for c in s.unicodeScalars {
    switch c {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    default: out.unicodeScalars.append(c)
    }
  }
  return out
}

/// Inline SVG charts (no scripts, no network).
enum Charts {
  static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

  /// A line chart of `values` with an optional dashed comparison series.
  static func line(labels: [String], values: [Double], compare: [Double?]?, legend: (String, String), width: Int = 640, height: Int = 200) -> String {
    guard !values.isEmpty else { return "" }
    let left = 44.0, right = 28.0, top = 18.0, bottom = 26.0
    let w = Double(width) - left - right, h = Double(height) - top - bottom
    let maxV = max(1, (values + (compare ?? []).compactMap { $0 }).max() ?? 1)
    func x(_ i: Int) -> Double { left + (values.count == 1 ? w / 2 : Double(i) * w / Double(values.count - 1)) }
    func y(_ v: Double) -> Double { top + h - v / maxV * h }
    var s = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\">"
    for k in 0...4 {
      let v = maxV * Double(k) / 4
      s += "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + w))\" y1=\"\(fmt(y(v)))\" y2=\"\(fmt(y(v)))\" stroke=\"#e3e3e3\"/>"
      s += "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(y(v) + 4))\" font-size=\"10\" text-anchor=\"end\" fill=\"#666\">\(Int(v.rounded()))</text>"
    }
    let step = max(1, labels.count / 10)
    for (i, l) in labels.enumerated() where i % step == 0 || i == labels.count - 1 {
      s += "<text x=\"\(fmt(x(i)))\" y=\"\(height - 8)\" font-size=\"10\" text-anchor=\"middle\" fill=\"#666\">\(escapeHTML(l))</text>"
    }
    if let compare {
      var path = ""
      for (i, v) in compare.enumerated() { if let v { path += (path.isEmpty ? "M" : "L") + "\(fmt(x(i))),\(fmt(y(v))) " } }
      if !path.isEmpty { s += "<path d=\"\(path)\" fill=\"none\" stroke=\"#999\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>" }
    }
    let path = values.enumerated().map { ($0.offset == 0 ? "M" : "L") + "\(fmt(x($0.offset))),\(fmt(y($0.element)))" }.joined(separator: " ")
    s += "<path d=\"\(path)\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\"/>"
    for (i, v) in values.enumerated() where values.count <= 40 { s += "<circle cx=\"\(fmt(x(i)))\" cy=\"\(fmt(y(v)))\" r=\"2.5\" fill=\"#c0392b\"/>" }
    s += "<rect x=\"\(fmt(left + 8))\" y=\"4\" width=\"14\" height=\"3\" fill=\"#c0392b\"/><text x=\"\(fmt(left + 26))\" y=\"9\" font-size=\"10\">\(escapeHTML(legend.0))</text>"
    if compare != nil {
      s += "<rect x=\"\(fmt(left + 150))\" y=\"4\" width=\"14\" height=\"3\" fill=\"#999\"/><text x=\"\(fmt(left + 168))\" y=\"9\" font-size=\"10\">\(escapeHTML(legend.1))</text>"
    }
    return s + "</svg>"
  }

  /// Horizontal bars with counts and the change against a previous value.
  static func bars(_ items: [(name: String, value: Double, previous: Double?)], width: Int = 640) -> String {
    guard !items.isEmpty else { return "" }
    let rowH = 22.0, labelW = 220.0, valueW = 110.0
    let height = Int(Double(items.count) * rowH + 8)
    let maxV = max(1, items.map(\.value).max() ?? 1)
    let barW = Double(width) - labelW - valueW
    var s = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\">"
    for (i, it) in items.enumerated() {
      let y = 4 + Double(i) * rowH
      let name = it.name.count > 16 ? String(it.name.prefix(15)) + "…" : it.name
      s += "<text x=\"\(fmt(labelW - 6))\" y=\"\(fmt(y + 14))\" font-size=\"11\" text-anchor=\"end\">\(escapeHTML(name))</text>"
      s += "<rect x=\"\(fmt(labelW))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(max(1, it.value / maxV * barW)))\" height=\"\(fmt(rowH - 8))\" fill=\"#2c6e9e\"/>"
      var label = "\(Int(it.value))"
      if let p = it.previous, p > 0 {
        let ch = (it.value / p - 1) * 100
        label += String(format: " %@%.0f%%", ch >= 0 ? "▲" : "▼", abs(ch))
      }
      s += "<text x=\"\(fmt(labelW + max(1, it.value / maxV * barW) + 4))\" y=\"\(fmt(y + 14))\" font-size=\"10\" fill=\"#333\">\(escapeHTML(label))</text>"
    }
    return s + "</svg>"
  }

  /// A map of areas drawn from their ticket centroids (equirectangular, no tiles):
  /// circles sized by volume, red where volume rose; hotspots as rings.
  static func map(_ areas: [AreaPoint], hotspots: [(String, Double, Double)], width: Int = 640, height: Int = 420) -> String {
    let pts = areas.map { ($0.lon, $0.lat) } + hotspots.map { ($0.1, $0.2) }
    guard !pts.isEmpty else { return "" }
    let pad = 30.0
    var minLon = pts.map(\.0).min()!, maxLon = pts.map(\.0).max()!, minLat = pts.map(\.1).min()!, maxLat = pts.map(\.1).max()!
    if maxLon - minLon < 1e-3 { minLon -= 0.01; maxLon += 0.01 }
    if maxLat - minLat < 1e-3 { minLat -= 0.01; maxLat += 0.01 }
    let k = cos((minLat + maxLat) / 2 * .pi / 180)
    let sx = (Double(width) - 2 * pad) / ((maxLon - minLon) * k), sy = (Double(height) - 2 * pad) / (maxLat - minLat)
    let sc = min(sx, sy)
    func X(_ lon: Double) -> Double { pad + (lon - minLon) * k * sc }
    func Y(_ lat: Double) -> Double { Double(height) - pad - (lat - minLat) * sc }
    let maxT = Double(max(1, areas.map(\.tickets).max() ?? 1))
    var s = "<svg class=\"chart map\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\"><rect width=\"100%\" height=\"100%\" fill=\"#f7f9fb\" stroke=\"#ccd\"/>"
    for a in areas.sorted(by: { $0.tickets > $1.tickets }) {
      let r = 3 + 14 * (Double(a.tickets) / maxT).squareRoot()
      let up = a.previous > 0 ? Double(a.tickets) / Double(a.previous) - 1 : 0
      let color = up > 0.2 ? "#c0392b" : (up < -0.2 ? "#2c6e9e" : "#8e9aa6")
      s += "<circle cx=\"\(fmt(X(a.lon)))\" cy=\"\(fmt(Y(a.lat)))\" r=\"\(fmt(r))\" fill=\"\(color)\" fill-opacity=\"0.55\" stroke=\"#fff\"><title>\(escapeHTML(a.area)) \(a.tickets)</title></circle>"
    }
    for a in areas.prefix(8) {
      let name = a.area.split(separator: "/").last.map(String.init) ?? a.area
      s += "<text x=\"\(fmt(X(a.lon) + 6))\" y=\"\(fmt(Y(a.lat) - 6))\" font-size=\"10\" fill=\"#222\">\(escapeHTML(name))</text>"
    }
    for (i, h) in hotspots.enumerated() {
      s += "<circle cx=\"\(fmt(X(h.1)))\" cy=\"\(fmt(Y(h.2)))\" r=\"9\" fill=\"none\" stroke=\"#e67e22\" stroke-width=\"3\"><title>\(escapeHTML(h.0))</title></circle>"
      s += "<text x=\"\(fmt(X(h.1) + 10))\" y=\"\(fmt(Y(h.2) + 4))\" font-size=\"11\" font-weight=\"bold\" fill=\"#e67e22\">\(i + 1)</text>"
    }
    return s + "</svg>"
  }
}
