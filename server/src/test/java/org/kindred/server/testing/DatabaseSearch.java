package org.kindred.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Searches every row of every table of a database for a text, as an auditor would: for tests that prove a member's
 * words are gone from the system of record.
 */
public final class DatabaseSearch {

    private DatabaseSearch() {}

    /** The tables (with the row's first column) whose rows contain {@code text} in any column. */
    public static List<String> rowsHolding(String jdbcUrl, String text) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            List<String> tables = new ArrayList<>();
            // Kindred's tables are in the schema "public" on both engines (H2 with DATABASE_TO_LOWER, PostgreSQL).
            try (ResultSet r = c.getMetaData().getTables(null, "public", "%", null)) {
                while (r.next()) {
                    tables.add(r.getString("TABLE_NAME"));
                }
            }
            for (String table : tables) {
                try (Statement s = c.createStatement();
                        ResultSet rows = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            String value = rows.getString(i);
                            if (value != null && value.contains(text)) {
                                found.add(table + " " + rows.getString(1));
                                break;
                            }
                        }
                    }
                }
            }
        }
        return found;
    }
}
