package mp4j.worker;

import mp4j.process.Process;
import mp4j.testing.Targets;

/**
 * A parent JVM whose children fail: a lambda target that throws and a class target whose constructor throws. The
 * children's stderr is this JVM's; prints "exit LAMBDA CONSTRUCTOR" with their exit codes.
 */
public final class FailingTargetsMain
{
    private FailingTargetsMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Process lambda = new Process(a ->
        {
            throw new IllegalArgumentException("bad input " + a[0]);
        }, 7).name("failing-lambda").start();
        lambda.join();
        final Process constructor = new Process(Targets.FailInConstructor.class).name("failing-constructor").start();
        constructor.join();
        System.out.println("exit " + lambda.exitCode() + " " + constructor.exitCode());
    }
}
