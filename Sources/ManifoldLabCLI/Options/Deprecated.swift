import Foundation
import ManifoldLabCore

/// Old spellings kept for a while as hidden options (docs/vocabulary.md, "Old spellings"): a use
/// prints one note on stderr and its value goes to the current option.
enum Deprecated {
    static func note(_ old: String, now current: String) {
        FileHandle.standardError.write(Data("manifoldlab: note: \(old) is now \(current); the old spelling will be removed\n".utf8))
    }

    /// `current`, or the old option's value (with a note) when the old spelling was given; both at
    /// once (the current one moved from its default) is a conflict.
    static func merge<T: Equatable>(_ current: T, default initial: T, old: T?, oldName: String,
                                    currentName: String) throws(ManifoldLabError) -> T {
        guard let old else { return current }
        guard current == initial else {
            throw .conflictingOptions("\(oldName) is the old spelling of \(currentName); give only \(currentName)")
        }
        note(oldName, now: currentName)
        return old
    }
}
