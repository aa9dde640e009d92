internal import CICUShim

/// Facts about the ICU library Hotline was built against.
public enum ICU {
  /// The major version of the linked ICU (72 on Debian 12).
  public static var versionMajor: Int { Int(hl_icu_version_major()) }
}
