package io.infergate.emulator;

/**
 * A request the emulator answers with an error in vLLM's OpenAI shape,
 * {@code {"error":{"message":...,"type":"BadRequestError","param":null,"code":400}}}.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String type;

    ApiException(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequestError", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "NotFoundError", message);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }
}
