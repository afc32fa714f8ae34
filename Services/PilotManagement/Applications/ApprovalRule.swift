import Contracts

/// How the six guiding departments' opinions decide a pilot application.
///
/// The rule, in order:
/// 1. any department that **objects** rejects the application;
/// 2. otherwise any department that **requests revision** returns it to the region (a new review round follows
///    its resubmission);
/// 3. otherwise it is **approved** when MIIT, the lead department, concurs after MOHURD and SAMR have concurred;
///    MIIT may not concur before both of them have (its concurrence is the approval itself);
/// 4. otherwise it stays under review.
/// MOA, MOFCOM and NRRA need not give an opinion, but any of them can object or ask for revision.
/// Approval also needs a safety plan and room in the batch; those are checked where the approval is recorded.
public enum ApprovalRule {
    /// The department whose concurrence approves.
    public static let leadDepartment = GuidingDepartment.miit
    /// The departments that must have concurred before the lead department may.
    public static let requiredConcurrences: [GuidingDepartment] = [.mohurd, .samr]

    /// Where the opinions of one review round leave the application.
    public enum Outcome: Equatable, Sendable {
        case pending
        case approved(concurring: [GuidingDepartment])
        case rejected(objecting: [GuidingDepartment])
        case returned(requesting: [GuidingDepartment])
    }

    /// Applies the rule to the current opinions of one round.
    public static func evaluate(_ opinions: [GuidingDepartment: ReviewOpinion]) -> Outcome {
        let ordered = GuidingDepartment.allCases
        let objecting = ordered.filter { opinions[$0] == .object }
        if !objecting.isEmpty { return .rejected(objecting: objecting) }
        let requesting = ordered.filter { opinions[$0] == .requestRevision }
        if !requesting.isEmpty { return .returned(requesting: requesting) }
        let concurring = ordered.filter { opinions[$0] == .concur }
        if opinions[leadDepartment] == .concur, requiredConcurrences.allSatisfy({ opinions[$0] == .concur }) {
            return .approved(concurring: concurring)
        }
        return .pending
    }

    /// The departments still missing before `department` may record `opinion`: non-empty only when the lead
    /// department concurs too early.
    public static func missingConcurrences(
        before opinion: ReviewOpinion, by department: GuidingDepartment, given opinions: [GuidingDepartment: ReviewOpinion]
    ) -> [GuidingDepartment] {
        guard department == leadDepartment, opinion == .concur else { return [] }
        return requiredConcurrences.filter { opinions[$0] != .concur }
    }
}
