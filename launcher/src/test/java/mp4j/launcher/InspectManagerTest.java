package mp4j.launcher;

import mp4j.managers.Manager;
import mp4j.managers.SharedDict;
import mp4j.managers.SharedList;
import mp4j.session.Session;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** launcher inspect and scripts/inspect.py show a manager's containers, and agree on them. */
class InspectManagerTest
{
    /** Compares the MANAGER objects of two inspect --json outputs, field by field (the lock's owner fields aside). */
    private static final String COMPARE = String.join("\n",
        "import json, sys",
        "def managers(path):",
        "    with open(path) as f:",
        "        objects = json.load(f)['objects']",
        "    out = []",
        "    for o in objects:",
        "        if o['kind'] == 'MANAGER':",
        "            o['lock'] = o['lock']['locked']",
        "            out.append({k: o[k] for k in ('name', 'state', 'segments', 'segmentBytes', 'bytesInUse', 'commits',",
        "                                           'rollbacks', 'lock', 'containerCount', 'containers', 'serverPid',",
        "                                           'serverAlive') if k in o})",
        "    return out",
        "java, python = managers(sys.argv[1]), managers(sys.argv[2])",
        "if java != python or not java:",
        "    print('java:  ', json.dumps(java)); print('python:', json.dumps(python)); sys.exit(1)",
        "print('same', len(java))");

    @Test
    void bothInspectorsShowTheContainers() throws Exception
    {
        final Session session = Session.current();
        try (Manager manager = new Manager())
        {
            final SharedDict<String, Object> d = manager.dict();
            d.put("int", 1);
            d.put("text", "two");
            d.put("list", List.of(1, 2.5, "x"));
            d.put("bytes", new byte[100]);
            d.put("date", LocalDate.of(2026, 11, 30)); // Java-serialized: shown as its class, never deserialized
            d.put("array", new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
            final SharedList<Object> l = manager.list(List.of(10, 20, 30, 40, 50, 60, 70, 80, 90, 100));
            d.put("nested", l);
            manager.namespace().set("name", "Bob");
            manager.register("builder", args -> new StringBuilder("x"));
            manager.create("builder").call("append", "y");

            final Cli json = Cli.run("inspect", session.file().toString(), "--json");
            assertEquals(0, json.exitCode(), json.err());
            final String out = json.out();
            assertTrue(out.contains("\"kind\":\"MANAGER\""), out);
            assertTrue(out.contains("\"state\":\"open\""), out);
            assertTrue(out.contains("\"serverPid\":" + manager.serverPid() + ",\"serverAlive\":true"), out);
            assertTrue(out.contains("{\"id\":0,\"kind\":\"dict\",\"size\":7,\"keys\":[\"int\",\"text\",\"list\"," +
                "\"bytes\",\"date\",\"array\",\"nested\"],\"values\":[1,\"two\",[1,2.5,\"x\"],\"bytes[100]\"," +
                "\"<java.time.Ser>\",[1,2,3,4,5,6,7,8],\"<list #1 of manager " + manager.entry().index() + ">\"]}"), out);
            assertTrue(out.contains("{\"id\":1,\"kind\":\"list\",\"size\":10,\"values\":[10,20,30,40,50,60,70,80]}"),
                out);
            assertTrue(out.contains("{\"id\":2,\"kind\":\"namespace\",\"size\":1,\"keys\":[\"name\"],\"values\":[\"Bob\"]}"),
                out);

            final Cli text = Cli.run("inspect", session.file().toString());
            assertEquals(0, text.exitCode(), text.err());
            assertTrue(text.out().contains("MANAGER") && text.out().contains("kind=\"list\""), text.out());

            Assumptions.assumeTrue(InspectPyTest.hasPython(), "python3 is not installed: skipping inspect.py");
            final Path javaJson = Files.createTempFile("inspect-java", ".json");
            final Path pythonJson = Files.createTempFile("inspect-py", ".json");
            final Path compare = Files.createTempFile("compare", ".py");
            try
            {
                Files.writeString(javaJson, out);
                final String py = InspectPyTest.run("python3", InspectPyTest.script("inspect.py").toString(), "--json",
                    session.file().toString());
                assertTrue(py.startsWith("0\n"), py);
                Files.writeString(pythonJson, py.substring(2));
                Files.writeString(compare, COMPARE);
                final String same = InspectPyTest.run("python3", compare.toString(), javaJson.toString(),
                    pythonJson.toString());
                assertTrue(same.startsWith("0\nsame"), same);
                final String pyText = InspectPyTest.run("python3", InspectPyTest.script("inspect.py").toString(),
                    session.file().toString());
                assertTrue(pyText.contains("kind=\"namespace\""), pyText);
            }
            finally
            {
                Files.deleteIfExists(javaJson);
                Files.deleteIfExists(pythonJson);
                Files.deleteIfExists(compare);
            }
        }
    }
}
