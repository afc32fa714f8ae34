import Foundation
import Messaging

/// The run's tables: the faults as injected, then per key what reached the inbox, and the dead-letter topic against
/// the poison records.
struct FaultRunReport {
    var events: Int
    var keys: Int
    var faults: [FaultRecord]
    var outcome: FaultRunLedger.Outcome
    var topicRecords: Int
    var poison: [FaultInjector.Position: DeadLetterReason]
    var deadLetters: [DeadLetter]
    var rewound: Int

    func print() {
        Swift.print("\n## Faults, in turn, while the writer committed events")
        table([["#", "fault", "at event", "what happened", "next event applied after"]]
            + faults.enumerated().map { index, fault in
                ["\(index + 1)", fault.fault, "\(fault.atEvent)", fault.detail,
                 fault.progressAfter.map { String(format: "%.1f s", $0.seconds) } ?? "n/a (none left)"]
            })

        let found = Dictionary(
            deadLetters.compactMap { letter -> (FaultInjector.Position, [String])? in
                guard let partition = letter.originalPartition, let offset = letter.originalOffset else { return nil }
                return (FaultInjector.Position(partition: partition, offset: offset), [letter.reasonCode ?? "?"])
            }, uniquingKeysWith: +)
        let exact = deadLetters.count == poison.count && Set(found.keys) == Set(poison.keys)
            && poison.allSatisfy { found[$0.key] == [$0.value.rawValue] }
        let notPoison = found.keys.filter { poison[$0] == nil }.count
        let republished = topicRecords - events - poison.count

        Swift.print("\n## Per key, after the run (\(keys) keys, \(events) events)")
        table([
            ["", "events", "keys affected", "target"],
            ["lost", "\(outcome.lost)", "\(outcome.lostKeys)", "0"],
            ["applied twice", "\(outcome.appliedTwice)", "\(outcome.appliedTwiceKeys)", "0"],
            ["out of order", "\(outcome.outOfOrder)", "\(outcome.outOfOrderKeys)", "0"],
        ])
        Swift.print("")
        table([
            ["", "count"],
            ["effects applied (rows in the inbox's effect table)", "\(outcome.appliedRows)"],
            ["probes applied that were never written", "\(outcome.unexpected)"],
            ["records on the topic (events + poison + published again by the relay)", "\(topicRecords)"],
            ["  of which published again after a relay fault", "\(republished)"],
            ["records delivered again by the rewind", "\(rewound)"],
            ["poison records injected", "\(poison.count)"],
            ["dead letters on \(FaultRunSettings.deadLetterTopic)", "\(deadLetters.count)"],
            ["  of which not a poison record", "\(notPoison)"],
            ["DLQ holds exactly the poison records, each with its reason", exact ? "yes" : "NO"],
        ])
        let clean = outcome.lost == 0 && outcome.appliedTwice == 0 && outcome.outOfOrder == 0 && outcome.unexpected == 0 && exact
        Swift.print("\nresult: \(clean ? "PASS" : "FAIL") (target: 0 lost / 0 applied twice / 0 out of order, DLQ = poison)")
    }

    private func table(_ rows: [[String]]) {
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for (index, row) in rows.enumerated() {
            Swift.print("| " + row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: " | ") + " |")
            if index == 0 { Swift.print("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|") }
        }
    }
}
