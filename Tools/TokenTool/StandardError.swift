import Foundation

/// Writes a line to standard error, keeping standard output for the token alone.
func printToStandardError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
