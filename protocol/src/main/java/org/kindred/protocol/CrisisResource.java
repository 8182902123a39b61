package org.kindred.protocol;

import static org.kindred.protocol.InvalidMessageException.required;

/**
 * A place to get urgent help, from the server's configuration, shown when no mentor can take a request.
 *
 * @param name        who they are, for example "Samaritans"
 * @param contact     how to reach them: a phone number, a text short code or a web address
 * @param description when to use it, in one sentence
 */
public record CrisisResource(String name, String contact, String description) {
    public CrisisResource {
        required(name, "name");
        required(contact, "contact");
        description = description == null ? "" : description;
    }
}
