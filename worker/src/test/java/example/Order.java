package example;

import java.io.Serializable;

/** A user's own value class, outside mp4j's packages: the serialization rule trusts it as the program's own. */
public record Order(String item, int quantity) implements Serializable
{
}
