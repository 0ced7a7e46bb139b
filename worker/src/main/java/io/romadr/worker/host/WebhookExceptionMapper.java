package io.romadr.worker.host;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** {@link WebhookException} as its status code and its {@link WebhookException.Answer} as the JSON body. */
public final class WebhookExceptionMapper implements ExceptionMapper<WebhookException> {
    @Override
    public Response toResponse(WebhookException e) {
        WebhookException.Answer answer = e.answer();
        Response.ResponseBuilder r = Response.status(answer.code()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(answer);
        if (answer.code() == 401) {
            r.header("WWW-Authenticate", "Bearer realm=\"roma-dr\"");
        }
        return r.build();
    }
}
