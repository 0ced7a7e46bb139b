package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One of the plan's emergency contacts (seed: "Emergency Contacts"): a person, a rotation or a vendor, and the
 * channels roma-dr reaches them through. Phone numbers and account ids are for the people reading the report; no
 * credential or webhook URL belongs here (channels name targets the worker's configuration resolves).
 *
 * @param id        how routes name the contact: lower-case letters, digits and '-' ("sre-oncall")
 * @param role      "SRE On-Call", "Engineering Lead", "CTO", or a vendor's support type ("Infrastructure")
 * @param vendor    for a vendor contact: "AWS", "GitHub", "Docker"
 * @param accountId for a vendor contact: the account or organisation id to quote when calling
 */
public record ContactSpec(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) String role,
        String name,
        String phone,
        String vendor,
        String accountId,
        ContactChannels channels) {

    public ContactSpec {
        InvalidFieldException.requireText(id, "id");
        InvalidFieldException.require(id.matches("[a-z0-9][a-z0-9-]{0,62}"), "id",
                "must be lower-case letters, digits or '-' (at most 63), got \"" + id + "\"");
        InvalidFieldException.requireText(role, "role");
        name = name == null ? "" : name;
        phone = phone == null ? "" : phone;
        vendor = vendor == null ? "" : vendor;
        accountId = accountId == null ? "" : accountId;
        channels = channels == null ? ContactChannels.NONE : channels;
    }
}
