import CareNetwork
import Coverage
import Foundation
import Storage

/// An agreement as a clean, printable HTML document: every term of one version in reading
/// order with its values, the member's name and ID filled in (or masked, for a reader without
/// `read-identifiers`), the parties, and a footer citing each term's id and version — what
/// the parties sign, and what `curepath agreements pdf` prints to PDF.
public enum AgreementDocument {
    /// The member's name and member ID as the document shows them, from an audited read.
    public static func memberIdentity(_ opened: OpenedIdentifiers) -> (name: String, memberID: String) {
        (opened.identifiers.map { "\($0.givenName) \($0.familyName)" } ?? "[member name not on file]", opened.memberID ?? "[member ID not on file]")
    }

    public static func html(_ agreement: Agreement, version: AgreementVersion, library: TermLibrary, directory: Directory, memberName: String, memberID: String) -> String {
        let center = directory.center(agreement.center)?.name ?? agreement.center.rawValue
        let payer = directory.payer(agreement.payer)?.name ?? agreement.payer.rawValue
        var body = ""
        for (index, agreed) in version.terms.enumerated() {
            guard let term = library.term(agreed.term) else { continue }
            var values = agreed.values
            values["member_name"] = values["member_name"] ?? memberName
            values["member_id"] = values["member_id"] ?? memberID
            for parameter in term.parameters where values[parameter.name] == nil { values[parameter.name] = "[\(parameter.name) not agreed]" }
            let text = (try? term.render(values)) ?? term.text
            body += "<section class=\"term\"><h2>\(index + 1). \(HTML.escape(term.title))</h2><p>\(HTML.escape(text))</p></section>\n"
        }
        let citations = version.terms.map { "\($0.term.id)@\($0.term.version)" }.joined(separator: " · ")
        // Typed as String: SQLKit (imported through Storage) makes a bare literal a SQLQueryString.
        let signatures = AgreementParty.allCases.map { party -> String in
            let name = party == .center ? center : payer
            let signed = agreement.signatures[party].map { "signed \(ClockLabel.stamp($0))" } ?? "not signed"
            return "<div class=\"signature\"><strong>\(HTML.escape(name))</strong><br>\(signed)</div>"
        }.joined()
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Single-case agreement \(HTML.escape(agreement.id.rawValue))</title>
        <style>
        body { font: 11pt/1.5 Georgia, "Times New Roman", serif; max-width: 48rem; margin: 2rem auto; color: #111; }
        h1 { font-size: 16pt; margin-bottom: .2rem; } h2 { font-size: 12pt; margin: 1.2rem 0 .3rem; }
        .parties { color: #333; } .signature { display: inline-block; width: 45%; margin-top: 2rem; border-top: 1px solid #444; padding-top: .3rem; }
        footer { margin-top: 2.5rem; font: 8pt/1.4 system-ui, sans-serif; color: #555; border-top: 1px solid #ccc; padding-top: .4rem; }
        @page { margin: 2cm; } @media print { footer { position: fixed; bottom: 0; } }
        </style></head><body>
        <h1>Single-case agreement</h1>
        <p class="parties">Between \(HTML.escape(center)) (the center) and \(HTML.escape(payer)) (the payer), for case \(HTML.escape(agreement.caseID.rawValue)).
        Version \(version.number), proposed by the \(version.proposedBy.rawValue) on \(ClockLabel.stamp(version.at)); status: \(agreement.status.rawValue).</p>
        \(body)
        <div class="signatures">\(signatures)</div>
        <footer>Agreement \(HTML.escape(agreement.id.rawValue)) version \(version.number) · template \(HTML.escape(agreement.template.id.rawValue))@\(agreement.template.version) · terms \(HTML.escape(citations))</footer>
        </body></html>
        """
    }
}
