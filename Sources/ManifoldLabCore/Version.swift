/// The version recorded in every manifest and printed by `--version`.
public enum ManifoldLabVersion {
    public static let string = "0.1.0"
}
