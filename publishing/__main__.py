from publishing.cli import main

main(prog_name="publishing")
