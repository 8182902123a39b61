package org.kindred.server.safety;

import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.UserInfo;

/** Changes of a report's state, shared by the stores. */
public final class Reports {

    private Reports() {}

    /** The report, closed by a moderator with a resolution. */
    public static ReportInfo resolved(ReportInfo report, UserInfo by, String resolution) {
        return new ReportInfo(
                report.reportId(),
                report.category(),
                report.comment(),
                report.message(),
                report.context(),
                report.reporter(),
                report.createdAt(),
                "resolved",
                resolution,
                by,
                report.reportedUserId(),
                report.reporterLanguage());
    }
}
