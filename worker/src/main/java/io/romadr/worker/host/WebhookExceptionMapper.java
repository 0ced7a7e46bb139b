package io.romadr.worker.host;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link WebhookException} as its status code and a small JSON body. */
public final class WebhookExceptionMapper implements ExceptionMapper<WebhookException> {
    @Override
    public Response toResponse(WebhookException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.status());
        body.put("outcome", e.outcome());
        body.put("message", e.getMessage());
        if (e.field() != null) {
            body.put("field", e.field());
        }
        if (e.details() != null) {
            body.put("details", e.details());
        }
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
        if (e.status() == 401) {
            r.header("WWW-Authenticate", "Bearer realm=\"roma-dr\"");
        }
        return r.build();
    }
}
